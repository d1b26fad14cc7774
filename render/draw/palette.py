"""Colours with a meaning, in one place, so each role looks the same in every asset; one
set of them for each theme, light and dark.

Every role is chosen for its theme's background: text (and anything read as text: tick
labels, the rates' and the minimum's labels) at 4.5:1 or more, lines and marks at 3:1 or
more, against the background and against the readout cards (text also against the
page's code blocks), by the WCAG formula (a test computes the ratios from these colours).
The grid and the cards' edges are quiet guides, not marks, and stay under that on
purpose.

A scene reads a role from the theme on the pen it is handed (``pen.theme.text``); the
build enters ``pen.style()`` (render/draw/frames.py), the theme's matplotlib settings
(``Theme.rc``), while it draws. Importing this module imports nothing else, so the output
table (render/outputs.py), which Make reads with the system Python, can name the themes.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    name: str
    background: str  # the figure and its axes
    card: str  # the readout boxes drawn over a plot
    panel: str  # the page's code blocks (render/publish/page.py)
    card_edge: str  # guide
    grid: str  # guide
    text: str
    muted: str  # text of second rank: the real-unit axes, the credit line
    axis: str  # spines, ticks and tick labels
    teams: str  # the scatter of teams: quiet, it is the backdrop
    closed_form: str  # the least-squares line and minimum descent should land on
    start: str  # the start ring's edge
    rates: tuple[str, ...]  # learning rates, by rank (rate_colour)
    #: The part of viridis that contour lines and the bowl's surface use: viridis runs
    #: from dark purple to bright yellow, so each theme keeps the end that shows on it.
    contours: tuple[float, float]

    #: Roles read as text (4.5:1), and roles drawn as lines or marks (3:1).
    TEXT_ROLES = ("text", "muted", "axis", "closed_form", "rates")
    MARK_ROLES = ("teams", "start", "closed_form", "rates")

    @property
    def minimum(self) -> str:
        return self.closed_form

    def rate_colour(self, lr: float, rates) -> str:
        """Learning rates are coloured by their rank among the rates recorded in one build,
        smallest first, so a rate has the same colour in every figure."""
        return self.rates[sorted(rates).index(lr) % len(self.rates)]

    def rc(self) -> dict:
        """The theme's matplotlib settings (the rest of the look is render/draw/style.mplstyle)."""
        from cycler import cycler

        return {
            "figure.facecolor": self.background, "axes.facecolor": self.background,
            "savefig.facecolor": self.background, "legend.facecolor": self.card,
            "legend.edgecolor": self.card_edge, "grid.color": self.grid,
            "text.color": self.text, "axes.labelcolor": self.text, "axes.titlecolor": self.text,
            "axes.edgecolor": self.axis, "xtick.color": self.axis, "ytick.color": self.axis,
            "xtick.labelcolor": self.axis, "ytick.labelcolor": self.axis,
            "axes.prop_cycle": cycler(color=list(self.rates)),
            # The 3D bowl's back panes: the background, a shade towards the text colour.
            **{f"axes3d.{a}axis.panecolor": self.pane for a in "xyz"},
        }

    @property
    def pane(self) -> tuple[float, float, float, float]:
        from matplotlib.colors import to_rgb

        return (*to_rgb(self.text), 0.05)

    @property
    def contour_map(self):
        """viridis cut to ``contours``: the colours of contour lines and the surface."""
        import numpy as np
        from matplotlib import colormaps
        from matplotlib.colors import ListedColormap

        low, high = self.contours
        return ListedColormap(colormaps["viridis"](np.linspace(low, high, 256)), name=f"viridis_{self.name}")


LIGHT = Theme(
    name="light", background="#ffffff", card="#ffffff", panel="#f3f4f6", card_edge="#dddddd", grid="#e6e6e6",
    text="#333333", muted="#6b6b6b", axis="#555555", teams="#8a8f98", closed_form="#b35c00", start="#222222",
    # With the tutorial's three rates: 0.001 green, 0.1 blue, 1.5 red.
    rates=("#277a4c", "#1f6fb4", "#c0392b", "#7d5ba6", "#8c6d1f", "#c2407f"),
    contours=(0.0, 0.6),
)
DARK = Theme(
    name="dark", background="#16181d", card="#22252c", panel="#22252c", card_edge="#3a3f48", grid="#2c3038",
    text="#e6e6e6", muted="#a0a4ab", axis="#b8bcc4", teams="#858b95", closed_form="#ffa94d", start="#e6e6e6",
    rates=("#5cc48a", "#6cb2f0", "#ff7b6b", "#b99be0", "#d6b35a", "#f08cc0"),
    contours=(0.35, 1.0),
)
#: Every theme, the default first: its files have no suffix (render/outputs.py).
THEMES = {t.name: t for t in (LIGHT, DARK)}
