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

    rgb: np.ndarray | None  # (height, width, 3) uint8; None for a frame another worker draws
    duration_ms: int = 0


#: (k, n) in a frame worker (render.parallel): only frames k, k + n, ... are drawn here.
_share = None
_posed = 0


def draw_only(k: int, n: int) -> None:
    """Make this process draw only every n-th frame from the k-th (a frame worker)."""
    global _share, _posed
    _share, _posed = (k, n), 0


def _ours() -> bool:
    """Whether the frame being captured is this process's to draw; counts it either way."""
    global _posed
    i, _posed = _posed, _posed + 1
    return _share is None or i % _share[1] == _share[0]


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
    if not _ours():
        return Frame(rgb=None, duration_ms=duration_ms)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    return Frame(rgb=rgba[..., :3].copy(), duration_ms=duration_ms)


class Blit:
    """Frames that redraw only what moves: the rest is drawn once and copied.

    ``moving`` are the artists a scene changes between frames. Every artist of their axes
    drawn at or above the lowest of them (by zorder, as matplotlib orders them) must be
    painted over them, so each frame equals a full draw pixel for pixel (a test holds it
    to that). Those that never change (a legend) are not redrawn but pasted: their
    rectangle is copied from a picture with them drawn, whenever the moving artists left
    that rectangle untouched; only a frame where something moves under them draws them
    again. Setting RENDER_FULL_DRAW=1 turns blitting off, for that test.
    """

    #: Pixels added around a pasted artist's extent, for anti-aliasing at its edges.
    MARGIN_PX = 2

    def __init__(self, fig: Figure, moving):
        self.fig = fig
        self.enabled = not os.environ.get("RENDER_FULL_DRAW")
        self.background = None
        self.redraw = []  # (axes, artist) in drawing order: all that lies over the moving
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
        moving = set(moving)
        self.pasted = [(ax, a) for ax, a in self.redraw if a not in moving and a.get_visible()]
        self.drawn = [(ax, a) for ax, a in self.redraw if (ax, a) not in self.pasted]

    def capture(self, duration_ms: int = 0) -> Frame:
        if not self.enabled:
            return capture(self.fig, duration_ms)
        if not _ours():
            return Frame(rgb=None, duration_ms=duration_ms)
        canvas = self.fig.canvas
        if self.background is None:
            self._draw_background()
        else:
            canvas.restore_region(self.background)
        for ax, artist in self.drawn:
            ax.draw_artist(artist)
        pixels = np.asarray(canvas.buffer_rgba())
        if all(np.array_equal(pixels[r], self.bare[r]) for r in self.rects):
            for r in self.rects:  # nothing moved under them: they look as drawn once
                pixels[r] = self.dressed[r]
        else:  # something moved under them: draw everything over the background in order
            canvas.restore_region(self.background)
            for ax, artist in self.redraw:
                ax.draw_artist(artist)
        return Frame(rgb=pixels[..., :3].copy(), duration_ms=duration_ms)

    def _draw_background(self) -> None:
        canvas = self.fig.canvas
        canvas.draw()  # everything that is not animated, once
        self.background = canvas.copy_from_bbox(self.fig.bbox)
        pixels = np.asarray(canvas.buffer_rgba())
        self.bare = pixels.copy()
        renderer = canvas.get_renderer()
        height, width = pixels.shape[:2]
        self.rects = []
        for ax, artist in self.pasted:
            x0, y0, x1, y1 = artist.get_window_extent(renderer).extents
            m = self.MARGIN_PX
            rows = slice(max(0, int(np.floor(height - y1)) - m), min(height, int(np.ceil(height - y0)) + m))
            cols = slice(max(0, int(np.floor(x0)) - m), min(width, int(np.ceil(x1)) + m))
            self.rects.append((rows, cols))
            ax.draw_artist(artist)
        self.dressed = pixels.copy()
        canvas.restore_region(self.background)
