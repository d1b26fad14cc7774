"""Pieces two or more scenes share: the team scatter, a line across it, frame timing, and
the phone layout's column of panels."""
from __future__ import annotations

import re

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from render.draw.palette import Theme
from render.outputs import DPI
from render.draw.timing import in_ticks
from render.engine.lesson import Lesson
from render.numbers import fixed

#: The path from start to landing is cut into this many equal lengths; a frame is drawn
#: each time the line has travelled one of them.
MOVING_FRAMES = 60
#: A frame's delay grows with how far the line moved since the last frame (one step can
#: move it many lengths at the start), so the eye can follow each early step.
FRAME_MS = 60
MAX_FRAME_MS = 400
FIRST_HOLD_MS = 1000
LAST_HOLD_MS = 2500

#: Margins of the scatter panel in figure fractions, fixed so frames never change layout.
SCATTER_MARGINS = dict(left=0.1, right=0.9, bottom=0.19, top=0.84)


#: A title's baseline, in figure fractions: a little higher over a panel that carries a
#: second axis along its top (runs and wins in real units), which needs the room.
TITLE_Y = 0.975
TITLE_Y_OVER_TOP_AXIS = 0.985


def title(fig, text: str, left: float, top_axis: bool = False, pen=None) -> None:
    """The figure's title, bold, flush with ``left`` (the left edge of its plots or text);
    on a phone, broken over as many lines as the column needs (Column leaves room for two)."""
    if pen is not None and pen.phone:  # flush with the column's edge, not the plot's
        fig.suptitle(wrapped(text, PHONE_TITLE_CHARS), x=PHONE_EDGE / pen.layout.column,
                     y=1 - 10 / fig.bbox.height * pen.scale, ha="left", va="top", fontsize=pen.pt(13),
                     fontweight="bold", linespacing=1.15)
        return
    fig.suptitle(text, x=left, y=TITLE_Y_OVER_TOP_AXIS if top_axis else TITLE_Y, ha="left", fontsize=13,
                 fontweight="bold")


#: About how many characters of a bold title fit a phone's 360 px column at its size.
PHONE_TITLE_CHARS = 26
#: ... and of a note's words (render/outputs.py: 11.5 pt in the phone layout).
PHONE_NOTE_CHARS = 40
#: Where a phone figure's words start: its title, legends and notes, flush with the credit.
PHONE_EDGE = 10
#: A note's line that opens with a formula: a symbol, then " = ".
FORMULA = re.compile(r"\w+ = ")


def opening(line: str) -> str:
    """A note's line as it opens a sentence: with a capital, unless it opens with a
    formula ("lr = 0.5"), whose symbol keeps its case."""
    return line if FORMULA.match(line) else line[:1].upper() + line[1:]


def wrapped(text: str, width: int) -> str:
    """``text`` broken at spaces into lines of at most ``width`` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


class Column:
    """A phone figure planned top to bottom in CSS px, for its 360 px column: room (a
    title, tick labels, a legend) and panels, one under another; then ``figure`` makes
    the figure as tall as they are, the credit line's band included, and gives each
    panel's rectangle in figure fractions.

        col = Column(pen); col.room(60); data = col.panel(260); col.room(50)
        fig, (data,) = col.figure()
    """

    def __init__(self, pen, left: float = 62, right: float = 16):
        self.pen, self.left, self.right = pen, left, right
        self.width = pen.layout.column
        self.y, self.panels = 0.0, []

    def heading(self, text: str) -> None:
        """Room for the figure's title (``title``), as many lines as it takes."""
        lines = len(wrapped(text, PHONE_TITLE_CHARS).split("\n"))
        self.room(16 + lines * self.pen.pt(13) * 1.15 * DPI / 72 + 4)

    def room(self, px: float) -> float:
        """Leave ``px`` free; returns where that room starts, from the top."""
        start, self.y = self.y, self.y + px
        return start

    def panel(self, height: float, left: float | None = None, right: float | None = None,
              square: bool = False) -> int:
        """A panel ``height`` px tall (as wide as it is tall, centred, if ``square``)."""
        left = self.left if left is None else left
        right = self.right if right is None else right
        if square:
            spare = self.width - left - right - height
            left, right = left + spare / 2, right + spare / 2
        self.panels.append((left, self.room(height), self.width - left - right, height))
        return len(self.panels) - 1

    def figure(self):
        """The figure and each panel's rectangle (left, bottom, width, height)."""
        height = int(np.ceil(self.y + self.pen.credit_band(self.width)))
        height += height % 2  # a video's sides are even
        fig = self.pen.figure(self.width, height)
        rects = [(x / self.width, 1 - (top + h) / height, w / self.width, h / height)
                 for x, top, w, h in self.panels]
        return fig, rects

    def at(self, fig, top_px: float) -> float:
        """A height from the top, in CSS px, as a figure fraction from the bottom."""
        return 1 - top_px / (fig.bbox.height / self.pen.scale)

    def legend(self, fig, handles, labels, top_px: float, **kw):
        """A legend under the plots, flush with the column's edge, at ``top_px``."""
        kw = {"handletextpad": 0.6, **kw}
        return fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(PHONE_EDGE / self.width, self.at(fig, top_px)),
                          frameon=False, borderaxespad=0, borderpad=0, **kw)

    def note(self, fig, text: str, top_px: float, **kw):
        """Words under the plots, flush with the column's edge, at ``top_px``: each line
        opens as a sentence does there (``opening``) and is broken to the column."""
        lines = "\n".join(wrapped(opening(line), PHONE_NOTE_CHARS) for line in text.split("\n"))
        return fig.text(PHONE_EDGE / self.width, self.at(fig, top_px), lines, ha="left", va="top",
                        fontsize=self.pen.pt(10), linespacing=1.35, **kw)


def few_ticks(ax, axes: str = "xy", bins: int = 4) -> None:
    """At most ``bins`` + 1 ticks on each of ``axes``: what a phone's narrow panels read."""
    for name in axes:
        axis = getattr(ax, f"{name}axis")
        if not isinstance(axis.get_major_locator(), MaxNLocator):
            axis.set_major_locator(MaxNLocator(nbins=bins, min_n_ticks=3))
        else:
            axis.get_major_locator().set_params(nbins=bins)


def loss_axis(ax, loss: np.ndarray, minimum: float, exploding: bool):
    """A y axis for a loss curve, and the function that places a loss on it.

    Linear from zero; for an exploding run, whose loss grows geometrically up to 1e308
    where matplotlib's own log scale overflows, log10(loss) on a linear axis labelled in
    powers of ten (decades_axis). Call it before plotting: the limits are fixed here.
    """
    if exploding:
        decades_axis(ax, np.log10(min(loss.min(), minimum)), np.log10(loss.max()))
        return np.log10
    ax.set_ylim(0, max(loss[0], minimum) * 1.08)
    return lambda v: v


def rings(L: np.ndarray, floor: float, count: int) -> np.ndarray:
    """Contour levels of a loss surface L above its minimum ``floor``, evenly spaced in
    sqrt(excess loss): evenly spaced rings on a round bowl, and nothing crowded at the rim."""
    return floor + np.linspace(0, np.sqrt(L.max() - floor), count + 1)[1:] ** 2


def limits(values: np.ndarray, pad: float = 0.12) -> tuple[float, float]:
    """Axis limits from the data with a margin, the same in every frame."""
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo
    return lo - pad * span, hi + pad * span


def phone_scatter(pen, lesson: Lesson, heading: str, height: float, legend: float):
    """A phone column of the heading, the teams' scatter ``height`` px tall in z-scores
    (its x label under it) and ``legend`` px for a legend under that: (the column, the
    figure, the axes, the scatter's rect, the legend's top)."""
    col = Column(pen)
    col.heading(heading)
    plot = col.panel(height)
    col.room(50)
    legend_top = col.room(legend)
    fig, rects = col.figure()
    ax = team_axes(fig, lesson, pen.theme, rect=rects[plot], real_units=False)
    few_ticks(ax)
    return col, fig, ax, rects[plot], legend_top


def team_axes(fig, lesson: Lesson, theme: Theme, rect=None, real_units: bool = True):
    """Axes with the teams in z-scores; real units (runs, wins) on the top and right axes."""
    ax = fig.add_axes(rect) if rect else fig.add_subplot()
    ax.scatter(lesson.x, lesson.y, s=26, color=theme.teams, edgecolor=theme.background, linewidth=0.6, zorder=2,
               label=f"{lesson.data.n} teams")
    ax.set_xlim(limits(lesson.x))
    ax.set_ylim(limits(lesson.y))
    ax.set_xlabel("run differential (z-score)")
    ax.set_ylabel("wins (z-score)")
    if real_units:
        rd_mean, rd_sd = float(lesson.data.run_diff.mean()), lesson.runs_per_z
        w_mean, w_sd = float(lesson.data.wins.mean()), lesson.wins_per_z
        top = ax.secondary_xaxis("top", functions=(lambda z: z * rd_sd + rd_mean, lambda r: (r - rd_mean) / rd_sd))
        top.set_xlabel("run differential (runs)", color=theme.muted, fontsize=9.5)
        top.tick_params(labelsize=9, colors=theme.muted)
        right = ax.secondary_yaxis("right", functions=(lambda z: z * w_sd + w_mean, lambda w: (w - w_mean) / w_sd))
        right.set_ylabel("wins", color=theme.muted, fontsize=9.5)
        right.tick_params(labelsize=9, colors=theme.muted)
    return ax


def window(start, minimum) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square (m, b) window around the start and the minimum, with a margin."""
    (m0, b0), (m1, b1) = start, minimum
    centre = np.array([(m0 + m1) / 2, (b0 + b1) / 2])
    half = max(abs(m1 - m0), abs(b1 - b0), 1.0) * 0.75
    return (centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half)


def inside(m, b, mlim, blim) -> np.ndarray:
    """Whether each (m, b) lies in the window."""
    return (mlim[0] <= m) & (m <= mlim[1]) & (blim[0] <= b) & (b <= blim[1])


def decades_axis(ax, low: float, high: float, bins: int = 8) -> None:
    """A y axis of log10 values, labelled as powers of ten.

    An exploding loss grows geometrically up to 1e308, where matplotlib's own log scale
    overflows; so scenes plot log10(loss) on a linear axis and label it with this.
    """
    low, high = np.floor(low), np.ceil(high)
    ax.set_ylim(low, high + 0.05 * max(high - low, 1))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=bins, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"$10^{{{int(round(v))}}}$"))


def line_points(ax, m: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Ends of the line y = m x + b across the axes' fixed x range."""
    x = np.array(ax.get_xlim())
    with np.errstate(over="ignore", invalid="ignore"):
        return x, m * x + b


def visible_segment(m: float, b: float, xlim, ylim) -> np.ndarray | None:
    """The part of y = m x + b inside the panel, as two points in panel units (0..1), or None.

    Works from the four edges, so a nearly vertical line (huge m, as in an exploding run)
    is found where it really crosses the panel, without overflow.
    """
    (x0, x1), (y0, y1) = xlim, ylim
    if not (np.isfinite(m) and np.isfinite(b)):
        return None
    points = []
    with np.errstate(over="ignore", invalid="ignore"):
        for x in (x0, x1):
            y = m * x + b
            if y0 <= y <= y1:
                points.append((x, y))
        if m != 0:
            for y in (y0, y1):
                x = (y - b) / m
                if x0 <= x <= x1:
                    points.append((x, y))
    if not points:
        return None
    points.sort()
    ends = np.array([points[0], points[-1]], dtype=float)
    return (ends - [x0, y0]) / [x1 - x0, y1 - y0]


def visual_travel(m: np.ndarray, b: np.ndarray, xlim, ylim) -> np.ndarray:
    """How far the drawn line has moved by each step, from step 0, in panel units.

    The distance between two drawn lines is how far their ends moved (the smaller of the
    two pairings); a line entering or leaving the panel counts as one panel. Lines that
    look the same (say, two nearly vertical ones) count as no motion at all, which is what
    an animation should spend no frames on.
    """
    segments = [visible_segment(mi, bi, xlim, ylim) for mi, bi in zip(m, b)]
    moved = [0.0]
    for a, c in zip(segments, segments[1:]):
        if a is None or c is None:
            moved.append(0.0 if a is None and c is None else 1.0)
        else:
            straight = np.abs(a - c).max()
            crossed = np.abs(a - c[::-1]).max()
            moved.append(float(min(straight, crossed)))
    return np.cumsum(moved)


def row(step: int, m: float, b: float, loss: float) -> tuple[tuple[str, str], ...]:
    """A frame's numbers for the player's table, with the digits the scenes print."""
    return (("step", str(step)), ("m", fixed(m)), ("b", fixed(b)), ("loss", fixed(loss, 4)))


def in_view(ax, m: float, b: float) -> bool:
    """Whether any part of the line crosses the visible panel."""
    return visible_segment(m, b, ax.get_xlim(), ax.get_ylim()) is not None


def frame_steps(path: np.ndarray, moving_frames: int = MOVING_FRAMES) -> list[int]:
    """Steps to draw, spaced evenly along the line's visible ``path`` rather than in steps.

    ``path`` is scenes.common.visual_travel: how far the drawn line has moved by each step.
    With lr 0.1 the line is nearly in place after about 15 of 200 steps; even spacing in
    steps would spend most frames on a still picture. A frame is drawn whenever the line
    has moved one length (path / moving_frames) since the last; once less than a quarter
    length remains, the run jumps to its last step, which is held.
    """
    total, last = path[-1], len(path) - 1
    if last == 0:
        return [0]
    if total == 0 or not np.isfinite(total):
        return [0, last]
    length = total / moving_frames
    chosen = [0]
    for step in range(1, last):
        if total - path[step] < length / 4:
            break
        if path[step] - path[chosen[-1]] >= length:
            chosen.append(step)
    chosen.append(last)
    return chosen


def delays(path: np.ndarray, steps: list[int], moving_frames: int = MOVING_FRAMES) -> list[int]:
    """Hold the start and the end; in between, longer for frames where the line jumped far."""
    if len(steps) == 1:
        return [LAST_HOLD_MS]
    length = path[-1] / moving_frames if np.isfinite(path[-1]) and path[-1] > 0 else 1.0
    moved = np.diff(path[steps]) / length
    # Whole ticks: exact in a GIF and in the video (render.draw.timing).
    middle = [int(np.clip(in_ticks(FRAME_MS * min(x, 1e6)), FRAME_MS, MAX_FRAME_MS)) if np.isfinite(x)
              else MAX_FRAME_MS for x in moved[:-1]]
    return [FIRST_HOLD_MS] + middle + [LAST_HOLD_MS]
