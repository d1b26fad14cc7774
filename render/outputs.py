"""The output vocabulary: which files a render writes and what each one is for, as one
table, so that a new format or layout is a row of data rather than code in five places.

A render is one scene's still or animation in one theme and one layout. Its files are
the rows of ``FILES`` for its kind, each a (role, density, format): the role says what the
file is for (a still's picture, its vector copy, the animation, its poster, its video),
the density how many file pixels it has per CSS pixel, the format which encoder writes it
(render/draw/encoders.py). The build writes every row, the manifest lists each file with
its (role, density, format), and the pages offer a row's files as its ``offer`` says. A
file's name is the render's stem (scene, layout, theme) put into the row's ``name``.

This module imports nothing heavy: Make reads the layouts and themes through it with the
system Python, before any virtual environment exists.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from render.draw.palette import THEMES

#: What a render is of: a scene's still (one frame) or its animation (many).
KINDS = ("still", "animation")
#: The theme whose files carry no suffix, and which a page's plain <img> shows.
DEFAULT_THEME = next(iter(THEMES))


@dataclass(frozen=True)
class Role:
    """What a file is for. ``every_frame``: it holds every frame of the render (a GIF, a
    video); else the last one (a still, a poster)."""

    name: str
    kind: str  # the kind of render that writes it
    every_frame: bool


ROLES = {role.name: role for role in (
    Role("still", "still", every_frame=False),
    Role("vector", "still", every_frame=False),  # the still as SVG, for print and slides
    Role("animation", "animation", every_frame=True),  # the GIF: what plays without JavaScript
    Role("poster", "animation", every_frame=False),  # the last frame
    Role("video", "animation", every_frame=True),  # what the player steps through
)}


@dataclass(frozen=True)
class Form:
    """One file of a render: its role, its density (file pixels per CSS pixel) and format."""

    role: str
    density: int
    format: str


@dataclass(frozen=True)
class Row:
    """Files of one role in one format, one per density. ``name`` is the file name from the
    render's ``{stem}`` and ``{at}`` ("" at 1x, "@2x" at 2x). ``offer``: how a page offers
    the files of a still or a poster: "source" (a <source> of its format, before the
    others, in table order) or "img" (the <img> every browser can show); None: the page
    shows it by its role, or links it. ``layouts``: the layouts it is written for (all
    when empty)."""

    role: str
    format: str
    densities: tuple[int, ...]
    name: str
    offer: str | None = None
    layouts: tuple[str, ...] = ()

    def file(self, stem: str, density: int) -> str:
        return self.name.format(stem=stem, at="" if density == 1 else f"@{density}x")

    def densities_in(self, layout: str) -> tuple[int, ...]:
        """The densities it is written at in ``layout``: none if it is not written for
        it; where it offers several, those the layout's screens take."""
        if self.layouts and layout not in self.layouts:
            return ()
        if len(self.densities) == 1:
            return self.densities
        return tuple(d for d in self.densities if d in LAYOUTS[layout].densities)


#: Every file a render may write, by role, in the order the pages offer them. A still is
#: drawn once, at 2x: its 2x PNG as drawn, its PNG halved; the SVG is the same figure as
#: vectors. An animation is drawn at 2x too: the video and the 2x poster as drawn, the GIF
#: and the poster halved. A page offers the AVIF first (a third of the PNG's bytes) and at
#: 2x only: a 1x screen, a desktop's, takes it too, and the 1x AVIF would add half a
#: megabyte to a build for them alone; the true-colour PNG is the <img> every browser
#: shows, and the file to download.
FILES: list[Row] = [
    Row("still", "png", (1, 2), "{stem}{at}.png", offer="img"),
    Row("still", "avif", (2,), "{stem}{at}.avif", offer="source"),
    Row("vector", "svg", (1,), "{stem}.svg", layouts=("desktop",)),  # for print and slides
    Row("animation", "gif", (1,), "{stem}.gif"),
    Row("poster", "png", (1, 2), "{stem}_poster{at}.png", offer="img"),
    Row("poster", "avif", (2,), "{stem}_poster{at}.avif", offer="source"),
    Row("video", "mp4", (2,), "{stem}.mp4"),
]


def add_row(row: Row) -> None:
    """A new row of files: its format's encoder must be registered (render/draw/encoders.py).
    From then on every build writes it, the manifest lists it, `make check` checks it and
    the pages offer it."""
    if row.role not in ROLES:
        raise ValueError(f"no role {row.role!r} (roles: {', '.join(ROLES)})")
    FILES.append(row)


def remove_row(row: Row) -> None:
    FILES.remove(row)


#: The pages' geometry, which decides where each layout is shown and so how large its
#: text must be. A figure's column is the screen less the page's margins; the pages show
#: a desktop file only where its column is at least the file's CSS width (never shrunk),
#: and the phone layout below that, shrunk on screens narrower than its column.
PAGE_MARGIN_PX = 16
NARROWEST_SCREEN_PX, WIDEST_SCREEN_PX = 320, 1440
NARROWEST_COLUMN_PX = NARROWEST_SCREEN_PX - 2 * PAGE_MARGIN_PX
#: The text floor, in CSS px as shown: every word (ticks, labels, legends, readouts,
#: titles) at least TEXT_FLOOR_PX, the credit line at least CREDIT_FLOOR_PX.
TEXT_FLOOR_PX, CREDIT_FLOOR_PX = 12, 11
#: Figures are drawn at this many file pixels per inch at 1x (one file pixel a CSS pixel):
#: a point of text is DPI / 72 pixels.
DPI = 100


@dataclass(frozen=True)
class Layout:
    """A picture's design for one range of screens. ``suffix``: in its files' stem.
    ``column``: the width, in CSS px, it is drawn for (None: the scene's own width, shown
    only where it fits at 1:1). ``style``: a style sheet of render/draw/ over the house
    style (larger text). ``text_scale``: how much larger than on a desktop a scene's text
    is drawn (render/draw/frames.py, ``Pen.pt``)."""

    name: str
    suffix: str
    column: int | None = None
    style: str | None = None
    text_scale: float = 1.0
    #: The densities its pictures are written at, where a row offers several: a phone's
    #: screen has 2 device pixels per CSS pixel or more, so its 1x files would be fetched
    #: by no one.
    densities: tuple[int, ...] = (1, 2)

    @property
    def shrinks_to(self) -> float:
        """The smallest share of its CSS width the pages show it at."""
        return 1.0 if self.column is None else NARROWEST_COLUMN_PX / self.column

    def floor_pt(self, floor_px: float, step: float = 0.25) -> float:
        """The smallest text size, in points, that shows at ``floor_px`` CSS px or more
        wherever the pages show this layout (rounded up to a ``step``)."""
        return math.ceil(floor_px * 72 / DPI / self.shrinks_to / step - 1e-9) * step

    @property
    def min_pt(self) -> float:
        return self.floor_pt(TEXT_FLOOR_PX, 0.5)

    @property
    def credit_pt(self) -> float:
        return self.floor_pt(CREDIT_FLOOR_PX)


#: Every layout, the default first: its files have no suffix. The phone layout is drawn
#: for a 360 px column (most phones are 360 to 430 CSS px wide) and shown down to 288 px
#: (a 320 px screen), where it shrinks by 0.8: its text is 11 pt (15.3 px) and more, so
#: 12.2 px or more as shown, and its credit 10 pt (11.1 px as shown). A desktop file is
#: never shrunk: 9 pt (12.5 px) and its credit 8 pt (11.1 px).
LAYOUTS = {layout.name: layout for layout in (
    Layout("desktop", ""),
    Layout("phone", "-phone", column=360, style="phone.mplstyle", text_scale=1.15, densities=(2,)),
)}
DEFAULT_LAYOUT = next(iter(LAYOUTS))


def shown_at(layout: str, desktop_width: int) -> tuple[int, int]:
    """The columns, in CSS px, at which the pages show a layout's files, for a figure
    whose desktop file is ``desktop_width`` CSS px wide."""
    if LAYOUTS[layout].column is None:
        return desktop_width, WIDEST_SCREEN_PX
    return NARROWEST_COLUMN_PX, desktop_width - 1


@dataclass(frozen=True)
class Output:
    """One file of one render: the build writes it, the manifest lists it under its form,
    the pages place it by its form."""

    file: str  # gd_fit-dark@2x.png
    scene: str
    kind: str  # the render's kind: "still" or "animation"
    theme: str
    layout: str
    form: Form


def stem(scene: str, theme: str, layout: str) -> str:
    """A render's file stem: the scene's name, then the layout's and the theme's suffixes
    (none for the defaults): gd_fit, gd_fit-dark."""
    return scene + LAYOUTS[layout].suffix + ("" if theme == DEFAULT_THEME else f"-{theme}")


def outputs(scene: str, kind: str, theme: str = DEFAULT_THEME, layout: str = DEFAULT_LAYOUT,
            skip: tuple[str, ...] = (), formats: tuple[str, ...] = ()) -> list[Output]:
    """The files one render writes, in table order: each row of its kind whose format is
    not in ``skip`` (a scene's entry may leave a format out) and is in ``formats`` (all
    when empty: a build may ask for fewer), at each of its densities."""
    name = stem(scene, theme, layout)
    return [Output(row.file(name, density), scene, kind, theme, layout, Form(row.role, density, row.format))
            for row in FILES if ROLES[row.role].kind == kind and row.format not in skip
            and (not formats or row.format in formats) for density in row.densities_in(layout)]


def formats() -> list[str]:
    """Every format of the table, in its order."""
    return list(dict.fromkeys(row.format for row in FILES))


def row_of(form: Form) -> Row:
    return next(row for row in FILES if row.role == form.role and row.format == form.format)
