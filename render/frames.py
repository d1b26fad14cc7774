"""Figure factory and frame capture: fixed-size Agg figures in the project's style.

A scene builds its figure once with ``figure()``, mutates artists, and calls ``capture``
for each frame. Nothing here knows about paths or file formats.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # files only, never a window; also the deterministic backend

import matplotlib.style  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from render import palette  # noqa: E402

STYLE = os.path.join(os.path.dirname(__file__), "style.mplstyle")
WIDTH_PX, HEIGHT_PX, DPI = 640, 480, 100


@dataclass(frozen=True)
class Frame:
    """One picture: RGB pixels, and how long an animation shows it."""

    rgb: np.ndarray  # (height, width, 3) uint8
    duration_ms: int = 0


def style():
    """The project style as a context: nothing global changes at import time."""
    return matplotlib.style.context(STYLE, after_reset=True)


def figure(width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> Figure:
    """A new figure of exactly width_px x height_px, not attached to pyplot."""
    fig = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def add_credit(fig: Figure, credit: str) -> None:
    """The data's credit line, small, along the bottom edge of every asset."""
    fig.text(0.012, 0.012, credit, fontsize=7.5, color=palette.MUTED, ha="left", va="bottom")


def capture(fig: Figure, duration_ms: int = 0) -> Frame:
    """Draw the figure and copy its pixels. The size never varies: no tight bbox."""
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    return Frame(rgb=rgba[..., :3].copy(), duration_ms=duration_ms)


class Blit:
    """Frames that redraw only what moves: the rest is drawn once and copied.

    ``moving`` are the artists a scene changes between frames. Every artist of their axes
    drawn at or above the lowest of them (by zorder, as matplotlib orders them) is redrawn
    with them, so each frame equals a full draw pixel for pixel (a test holds it to that).
    Setting RENDER_FULL_DRAW=1 turns blitting off, for that test.
    """

    def __init__(self, fig: Figure, moving):
        self.fig = fig
        self.enabled = not os.environ.get("RENDER_FULL_DRAW")
        self.background = None
        self.redraw = []
        if not self.enabled:
            return
        for ax in dict.fromkeys(a.axes for a in moving):
            floor = min(a.get_zorder() for a in moving if a.axes is ax)
            children = ax.get_children()
            # The order Axes.draw uses: a stable sort of its children by zorder.
            above = sorted((c for c in children if c.get_zorder() >= floor and c is not ax.patch),
                           key=lambda c: c.get_zorder())
            for artist in above:
                artist.set_animated(True)
            self.redraw.extend((ax, artist) for artist in above)

    def capture(self, duration_ms: int = 0) -> Frame:
        if not self.enabled:
            return capture(self.fig, duration_ms)
        canvas = self.fig.canvas
        if self.background is None:
            canvas.draw()  # everything that is not animated, once
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        for ax, artist in self.redraw:
            ax.draw_artist(artist)
        rgba = np.asarray(canvas.buffer_rgba())
        return Frame(rgb=rgba[..., :3].copy(), duration_ms=duration_ms)
