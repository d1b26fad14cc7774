"""Figure factory and frame capture: fixed-size Agg figures in the project's style.

A scene is handed a ``Pen`` (its theme, scale and credit line), builds its figure once
with ``pen.figure()``, mutates artists, and yields a shot of each pose (``capture``, or
``Blit.capture``). A shot is drawn when its consumer asks, before the scene moves on: so
a frame worker (render/pipeline/parallel.py) poses every shot and draws only its own.
Nothing here knows about paths or file formats.
"""
from __future__ import annotations

import io
import os
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # files only, never a window; also the deterministic backend

import matplotlib.axis  # noqa: E402
import matplotlib.style  # noqa: E402
import matplotlib.text  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import TextPath  # noqa: E402
from PIL import Image  # noqa: E402

from render.draw import palette  # noqa: E402
from render.outputs import DEFAULT_LAYOUT, DPI, LAYOUTS, Layout  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
STYLE = os.path.join(HERE, "style.mplstyle")
WIDTH_PX, HEIGHT_PX = 640, 480
#: The lines the credit line may take in each layout, at its floor's size
#: (render/outputs.py), before it is made smaller.
CREDIT_LINES = {"desktop": 2, "phone": 4}
#: The credit line's gid: how the text sizes tell it from the words of the figure.
CREDIT_GID = "credit"
CREDIT_MARGIN_PX, CREDIT_LINESPACING = 6, 1.25
#: How much wider than its outlines a line may be drawn: hinting snaps each glyph's
#: advance to whole pixels, which at 11 px adds up to a few per cent.
HINTING_ROOM = 1.08


@dataclass(frozen=True)
class Frame:
    """One picture: RGB pixels, and how long an animation shows it."""

    rgb: np.ndarray  # (height, width, 3) uint8
    duration_ms: int = 0
    label: str = ""  # what the frame shows, in words: "step 12 of 200, loss 0.1106"
    step: int | None = None  # the recorded step it shows, for a page's step links
    row: tuple[tuple[str, str], ...] = ()  # its numbers as (column, text): the player's table
    vector: bytes | None = None  # a still's figure as SVG, when a file of the render is one
    text_px: dict | None = None  # its smallest text as drawn, in CSS px (text_sizes)


@dataclass(frozen=True)
class Shot:
    """A pose of a scene's figure and how long to show it; ``frame()`` draws it. Valid
    until the scene is asked for its next shot."""

    draw: Callable[[], np.ndarray]
    duration_ms: int = 0
    label: str = ""
    figure: Figure | None = None  # the figure it poses: a still's, for its crisp versions
    step: int | None = None
    row: tuple[tuple[str, str], ...] = ()

    def frame(self) -> Frame:
        rgb = self.draw()
        return Frame(rgb, self.duration_ms, self.label, self.step, self.row, text_px=text_sizes(self.figure))

    def frame_at(self, scale: int) -> Frame:
        """The still drawn at ``scale`` times the pixels: the same layout, sharper."""
        dpi = self.figure.dpi
        self.figure.set_dpi(dpi * scale)
        try:
            return Frame(_pixels(self.figure), self.duration_ms, self.label, self.step, self.row,
                         text_px=text_sizes(self.figure))
        finally:
            self.figure.set_dpi(dpi)

    def svg(self) -> bytes:
        """The still as SVG: text as paths (no font needed), no date, and ids from the
        style's fixed svg.hashsalt, so the same figure gives the same bytes."""
        out = io.BytesIO()
        self.figure.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()


@dataclass(frozen=True)
class Credit:
    """The data's credit line, printed along the bottom of every asset, and the outline
    width of each of its words (and of a space) per point of font size, measured once per
    build: laying out glyph outlines (TextPath) costs about 150 ms a line, and an outline's
    width is exactly proportional to the font size, so one measure serves every figure,
    size and way of breaking the line."""

    text: str
    word_pt_per_pt: tuple[float, ...]
    space_pt_per_pt: float

    @classmethod
    def measure(cls, text: str) -> "Credit":
        with matplotlib.style.context(STYLE, after_reset=True):
            font = FontProperties(size=1)

        def width(words: str) -> float:
            return TextPath((0, 0), words, prop=font).get_extents().width if words.strip() else 0.0

        words = text.split()
        space = width("a a") - 2 * width("a")
        return cls(text, tuple(width(w) for w in words), space)

    def outline_pt(self, words: slice, size: float) -> float:
        """The outline width of some of its words, as one line, at ``size`` points."""
        chosen = self.word_pt_per_pt[words]
        return (sum(chosen) + self.space_pt_per_pt * max(0, len(chosen) - 1)) * size


@dataclass(frozen=True)
class Pen:
    """How a scene draws: in which theme and layout, at what scale, signed with which
    credit line. The build hands one to the scene; nothing in a module changes while it
    draws."""

    theme: palette.Theme
    credit: Credit
    scale: int = 1  # every figure at this many times its pixels, the same layout
    layout: Layout = LAYOUTS[DEFAULT_LAYOUT]

    @property
    def phone(self) -> bool:
        """Whether it draws for a phone's column: panels stacked, legends below."""
        return self.layout.column is not None

    @property
    def br(self) -> str:
        """Between two parts of a label: a line break in a phone's narrow column, a space."""
        return "\n" if self.phone else " "

    def pt(self, size: float) -> float:
        """A text size, in points, as this layout draws it: its desktop size, larger on a
        phone, and never under the layout's floor (render/outputs.py)."""
        return max(self.layout.min_pt, size * self.layout.text_scale)

    @contextmanager
    def style(self):
        """matplotlib's settings for the project style in this theme and layout, for as
        long as the scene draws (artists read them when made and when drawn)."""
        layers = [STYLE] + ([os.path.join(HERE, self.layout.style)] if self.layout.style else [])
        with matplotlib.style.context(layers + [self.theme.rc()], after_reset=True):
            yield self

    def figure(self, width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> Figure:
        """A new figure of width_px x height_px (times the scale), not attached to pyplot."""
        fig = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI * self.scale)
        FigureCanvasAgg(fig)
        return fig

    def credit_lines(self, width_px: float) -> tuple[float, list[str]]:
        """The credit line's size and its lines in a figure ``width_px`` CSS px wide: at the
        smallest size the text floor allows (render/outputs.py), broken into as many lines
        as it needs, up to the layout's CREDIT_LINES, and smaller only when a credit (it
        comes with the data) would need more. Worked out from the words' outlines, with
        room for hinting (a PNG's glyphs snap to whole pixels), so that a scene can leave
        the room before it draws."""
        size, words = self.layout.credit_pt, self.credit.text.split()
        room = width_px - 2 * CREDIT_MARGIN_PX
        while True:
            lines, first = [], 0
            for last in range(1, len(words) + 1):
                wide = self.credit.outline_pt(slice(first, last), size) * DPI / 72 * HINTING_ROOM
                if wide > room and last - first > 1:
                    lines.append(" ".join(words[first:last - 1]))
                    first = last - 1
            lines.append(" ".join(words[first:]))
            if len(lines) <= CREDIT_LINES[self.layout.name] or size <= 4:
                return size, lines
            size -= 0.25  # a credit too long for the lines: smaller, rather than over the plot

    def credit_band(self, width_px: float) -> float:
        """The height, in CSS px, the credit line takes along the bottom of a figure
        ``width_px`` wide, its margins included: what a scene leaves free there."""
        size, lines = self.credit_lines(width_px)
        return 2 * CREDIT_MARGIN_PX + size * DPI / 72 * (1 + CREDIT_LINESPACING * (len(lines) - 1)) * 1.15

    def credit_line(self, fig: Figure) -> None:
        """The credit line, along the bottom edge (see credit_lines)."""
        width_px = fig.bbox.width / self.scale
        size, lines = self.credit_lines(width_px)
        margin = CREDIT_MARGIN_PX * self.scale
        fig.text(margin / fig.bbox.width, margin / fig.bbox.height, "\n".join(lines), fontsize=size,
                 color=self.theme.muted, ha="left", va="bottom", linespacing=CREDIT_LINESPACING, gid=CREDIT_GID)


def text_sizes(fig: Figure | None) -> dict | None:
    """The size of a figure's smallest text as it is drawn, in CSS px (a file pixel at
    1x): of any text ("smallest", the credit line's too), of its tick labels ("ticks"),
    and of every other word ("labels": titles, axis labels, legends, readouts, notes).
    Only texts that are shown count: visible, and not empty. Which text is which is
    worked out once a figure (finding the tick labels costs a fifth of a frame); whether
    each is shown, every frame."""
    if fig is None:
        return None
    texts = _texts.get(fig)
    if texts is None:
        ticks = {id(label) for axis in fig.findobj(matplotlib.axis.Axis) for label in axis.get_ticklabels(which="both")}
        texts = _texts[fig] = [(text, "ticks" if id(text) in ticks else None if text.get_gid() == CREDIT_GID
                                else "labels") for text in fig.findobj(matplotlib.text.Text)]
    sizes = {"smallest": [], "ticks": [], "labels": []}
    for text, kind in texts:
        if not text.get_visible() or not text.get_text().strip():
            continue
        px = text.get_fontsize() * DPI / 72
        sizes["smallest"].append(px)
        if kind:
            sizes[kind].append(px)
    return {key: round(min(found), 2) for key, found in sizes.items() if found}


#: Each figure's texts and what each is, for ``text_sizes``: kept while the figure lives.
_texts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def capture(fig: Figure, duration_ms: int = 0, label: str = "", step: int | None = None,
            row: tuple[tuple[str, str], ...] = ()) -> Shot:
    """The figure as it stands: drawn whole. The size never varies: no tight bbox. An
    animation's frame names its ``step`` and its numbers (``row``) as well as its words."""
    return Shot(lambda: _pixels(fig), duration_ms, label, fig, step, row)


def _pixels(fig: Figure) -> np.ndarray:
    fig.canvas.draw()
    return rgb(np.asarray(fig.canvas.buffer_rgba()))


def rgb(rgba: np.ndarray) -> np.ndarray:
    """The RGB of an RGBA buffer, as a new (read-only) array: Pillow drops the alpha in C,
    twice as fast as numpy's copy of every pixel's first three bytes."""
    height, width = rgba.shape[:2]
    return np.asarray(Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB"))


def _container(artist):
    """What draws an artist: its axes, or for a whole axes (a turning 3D plot) the figure."""
    return artist.figure if isinstance(artist, Axes) else artist.axes


class Blit:
    """Frames that redraw only what moves: the rest is drawn once and copied.

    ``moving`` are the artists a scene changes between frames (lines, texts, or a whole
    axes whose camera turns). Every artist of their axes (of the figure, for an axes)
    drawn at or above the lowest of them (by zorder, as matplotlib orders them) must be
    painted over them, in that order, so each frame equals a full draw pixel for pixel (a
    test holds it to that). Those that never change (a legend, a label) are pasted rather
    than drawn: when the pixels under one are exactly those it was first drawn over, its
    rectangle is copied from that first drawing; only when something moved under it is it
    drawn again. Setting RENDER_FULL_DRAW=1 turns blitting off, for that test.
    """

    #: Pixels added around a pasted artist's extent, for anti-aliasing at its edges.
    MARGIN_PX = 2

    def __init__(self, fig: Figure, moving):
        self.fig = fig
        self.enabled = not os.environ.get("RENDER_FULL_DRAW")
        self.background = None
        self.moving = list(moving)
        self.redraw = []  # in drawing order: the moving artists and all that lies over them
        self.pasted = self.drawn = 0  # static artists pasted / drawn again, for the tests
        if not self.enabled:
            return
        for box in dict.fromkeys(map(_container, moving)):
            floor = min(a.get_zorder() for a in moving if _container(a) is box)
            # The order Axes.draw and Figure.draw use: a stable sort of the children by zorder.
            above = sorted((c for c in box.get_children() if c.get_zorder() >= floor and c is not box.patch),
                           key=lambda c: c.get_zorder())
            for artist in above:
                artist.set_animated(True)
            self.redraw.extend(above)

    def capture(self, duration_ms: int = 0, label: str = "", step: int | None = None,
                row: tuple[tuple[str, str], ...] = ()) -> Shot:
        if not self.enabled:
            return capture(self.fig, duration_ms, label, step, row)
        return Shot(self._draw, duration_ms, label, self.fig, step, row)

    def _draw(self) -> np.ndarray:
        if self.background is None:
            self._draw_background()
        renderer = self.fig.canvas.get_renderer()
        pixels = np.asarray(self.fig.canvas.buffer_rgba())
        pixels[...] = self.background
        for artist in self.redraw:
            paste = self.pastes.get(artist)
            if paste is not None and np.array_equal(pixels[paste[0]], paste[1]):
                pixels[paste[0]] = paste[2]
                self.pasted += 1
            else:
                artist.draw(renderer)
                self.drawn += paste is not None
        return rgb(pixels)

    def _draw_background(self) -> None:
        """Draw the still part once; then each static artist over it, in order, keeping its
        rectangle as it was before and after (what a frame compares and pastes)."""
        canvas = self.fig.canvas
        canvas.draw()  # everything that is not animated
        pixels = np.asarray(canvas.buffer_rgba())
        self.background = pixels.copy()
        self.pastes = {}
        moving = set(map(id, self.moving))
        renderer = canvas.get_renderer()
        before = np.empty_like(pixels)  # one buffer for every artist: peak memory counts
        for artist in self.redraw:
            if id(artist) in moving or not artist.get_visible():
                continue
            np.copyto(before, pixels)
            artist.draw(renderer)
            rect = self._rect(artist, before, pixels)
            if rect is not None:
                self.pastes[artist] = (rect, before[rect].copy(), pixels[rect].copy())
        pixels[...] = self.background

    def _rect(self, artist, before: np.ndarray, after: np.ndarray):
        """Rows and columns an artist may paint: its extent (with a text's box) and margin,
        and every pixel it did change. None if that cannot be known: then it is drawn."""
        renderer = self.fig.canvas.get_renderer()
        try:
            boxes = [artist.get_window_extent(renderer)]
            patch = getattr(artist, "get_bbox_patch", lambda: None)()
            if patch is not None:
                boxes.append(patch.get_window_extent(renderer))
        except Exception:  # an artist without a usable extent is simply drawn every frame
            return None
        height, width = after.shape[:2]
        x0 = min(b.x0 for b in boxes) - self.MARGIN_PX
        x1 = max(b.x1 for b in boxes) + self.MARGIN_PX
        top = height - max(b.y1 for b in boxes) - self.MARGIN_PX
        bottom = height - min(b.y0 for b in boxes) + self.MARGIN_PX
        if not all(np.isfinite([x0, x1, top, bottom])):
            return None
        changed = (before.view(np.uint32) != after.view(np.uint32))[..., 0]  # whole RGBA pixels
        rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
        if rows.size:
            top, bottom = min(top, rows[0]), max(bottom, rows[-1] + 1)
            x0, x1 = min(x0, cols[0]), max(x1, cols[-1] + 1)
        top, x0 = max(0, int(np.floor(top))), max(0, int(np.floor(x0)))
        bottom, x1 = min(height, int(np.ceil(bottom))), min(width, int(np.ceil(x1)))
        if bottom <= top or x1 <= x0:
            return None
        return slice(top, bottom), slice(x0, x1)
