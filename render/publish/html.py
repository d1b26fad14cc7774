"""The HTML that shows one scene's still or animation: in the reader's theme, crisp on a 2x
screen, in the best format the browser takes, still under reduced motion, and in the
player with JavaScript. The markup is written once, as Jinja2 macros
(templates/figures.html), for the catalogue page (render/publish/page.py), the tutorial
(render/publish/tutorial.py) and every page `make embed` fills (render/publish/embed.py),
which differ only in how a file is addressed (``url``). This module reads the manifest's
entries into what the macros are given; Jinja2 escapes every value.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from render.draw.encoders import MEDIA_TYPES
from render.outputs import DEFAULT_LAYOUT, DEFAULT_THEME, FILES, LAYOUTS, PAGE_MARGIN_PX, ROLES, THEMES

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "templates")
STATIC = os.path.join(HERE, "static")
#: When a reader's system asks for dark pictures: the dark theme's media query.
DARK_MEDIA = "(prefers-color-scheme: dark)"
REDUCED_MOTION = "(prefers-reduced-motion: reduce)"
#: True where the page's scripts run, and so where a player replaces the GIF: a browser
#: that knows this feature (Chromium 120, Firefox 113, Safari 17) then fetches the poster,
#: never the GIF. One that does not know it matches nothing here and shows the GIF.
SCRIPTING = "(scripting: enabled)"
#: The player's script, written beside the pages; a tutorial page links the same file.
PLAYER = "player.js"


def environment() -> Environment:
    """Jinja2 for every page and figure (templates/, and static/ for the scripts a page
    includes whole), autoescape on for HTML: what is not marked safe is escaped."""
    escaped = select_autoescape(enabled_extensions=("html",), disabled_extensions=("css", "js"), default=True)
    return Environment(loader=FileSystemLoader([TEMPLATES, STATIC]), autoescape=escaped, keep_trailing_newline=True)


def static(name: str) -> bytes:
    """A file of static/ (the player, the catalogue's copy button) as it is published."""
    with open(os.path.join(STATIC, name), "rb") as f:
        return f.read()


@dataclass
class Figure:
    """One scene's still or animation as the manifest lists it: its entries by variant
    (theme, layout) and form (role, density, format)."""

    scene: str
    kind: str
    files: dict[tuple[str, str], dict[tuple[str, int, str], dict]] = field(default_factory=dict)

    def get(self, theme: str, role: str, density: int, format: str, layout: str = DEFAULT_LAYOUT) -> dict | None:
        return self.files.get((theme, layout), {}).get((role, density, format))

    def rows(self, role: str, offer: str | None = None) -> list:
        """The table's rows of ``role`` (those the pages offer as ``offer``) with files here."""
        return [row for row in FILES if row.role == role and (offer is None or row.offer == offer)
                and any(self.get(theme, role, d, row.format, layout) for theme, layout in self.files
                        for d in row.densities)]

    def _complete(self, theme: str, layout: str) -> bool:
        """Whether every file the pages need of a variant is listed (a partial build may
        miss some)."""
        needed = [(row.role, d, row.format) for row in FILES if ROLES[row.role].kind == self.kind
                  and (row.offer == "img" or row.role in ("animation", "video")) for d in row.densities_in(layout)]
        return all(form in self.files.get((theme, layout), {}) for form in needed)

    def themes(self, layout: str = DEFAULT_LAYOUT) -> list[str]:
        """The complete themes of a layout, in the order of a picture's <source>s: the
        default last, as the first match wins."""
        return sorted((t for t in THEMES if self._complete(t, layout)), key=lambda t: t == DEFAULT_THEME)

    def layouts(self) -> list[str]:
        """The layouts shown, in the order of a picture's <source>s: the default (the
        widest) last. A layout is shown when its default theme is complete."""
        found = [layout for layout in LAYOUTS if self._complete(DEFAULT_THEME, layout)]
        return sorted(found, key=lambda layout: layout == DEFAULT_LAYOUT)

    def own(self, layout: str = DEFAULT_LAYOUT, role: str | None = None) -> dict:
        """A layout's file of ``role`` in the default theme, at its lowest density, in the
        format every browser shows: by default the render's own (a still's PNG, the GIF)."""
        role = role or ("still" if self.kind == "still" else "animation")
        row = next(r for r in FILES if r.role == role and r.offer in ("img", None))
        return self.get(DEFAULT_THEME, role, row.densities_in(layout)[0], row.format, layout)

    @property
    def width(self) -> int:
        """The desktop file's width in CSS px: the layouts' breakpoint."""
        return css(self.own())[0]

    def complete(self) -> bool:
        return DEFAULT_LAYOUT in self.layouts()


def figures(manifest: dict) -> dict[tuple[str, str], Figure]:
    """Every scene's still and animation in the manifest, in its order (stills first)."""
    found: dict[tuple[str, str], Figure] = {}
    for entry in manifest["assets"]:
        figure = found.setdefault((entry["scene"], entry["kind"]), Figure(entry["scene"], entry["kind"]))
        variant = figure.files.setdefault((entry["theme"], entry["layout"]), {})
        variant[entry["role"], entry["density"], entry["format"]] = entry
    return found


@dataclass(frozen=True)
class Source:
    url: str
    sizes: str = ""
    type: str = ""
    media: str = ""
    attribute: str = "srcset"
    width: int | None = None  # a layout's own size, where it is not the <img>'s
    height: int | None = None


def _dark(theme: str) -> str:
    """The media query that picks a theme's files: none for the default, which the <img> holds."""
    return "" if theme == DEFAULT_THEME else DARK_MEDIA


def layout_media(layout: str, figure: Figure) -> str:
    """The media query that picks a layout's files: the screens on which the pages give the
    figure a column narrower than its desktop file (render/outputs.py); none for the
    default, which the <img> holds."""
    if LAYOUTS[layout].column is None:
        return ""
    return f"(max-width: {figure.width + 2 * PAGE_MARGIN_PX - 1}px)"


def _and(*queries: str) -> str:
    return " and ".join(q for q in queries if q)


def css(entry: dict) -> tuple[int, int]:
    """A file's size in CSS pixels: its own over its density."""
    return entry["width"] // entry["density"], entry["height"] // entry["density"]


def _sizes(entry: dict, layout: str) -> str:
    """How wide a picture is shown, in CSS pixels, for choosing from a width srcset: its
    own width, or the column's where that is narrower (max-width: 100%)."""
    width = css(entry)[0]
    if LAYOUTS[layout].column is None:
        return f"(max-width: {width}px) 100vw, {width}px"
    return f"(max-width: {width + 2 * PAGE_MARGIN_PX}px) calc(100vw - {2 * PAGE_MARGIN_PX}px), {width}px"


class FigureMarkup:
    """Markup for the files of a manifest, each addressed by ``url(entry)``: the macros of
    templates/figures.html, given what they show. Each returns markupsafe's Markup: HTML
    that the macros escaped, safe to put in a template as it is."""

    def __init__(self, url: Callable[[dict], str] = lambda entry: entry["file"], player: str = PLAYER,
                 dark: str | None = None, light: str | None = None):
        """``dark``: a CSS selector true when the page's site shows its dark theme (and
        ``light``, its light one, if it can also follow the system); the script then
        follows them rather than the reader's system (static/player.js)."""
        self.url, self.player_url, self.dark, self.light = url, player, dark, light
        self.macros = environment().get_template("figures.html").module

    def widths(self, figure: Figure, theme: str, role: str, format: str, layout: str = DEFAULT_LAYOUT) -> str:
        """A srcset of a role's files in one format by their widths: the browser takes the
        smallest that fills the picture's device pixels (a 1x file on a 1x screen, the 2x
        on a phone's)."""
        row = next(r for r in FILES if r.role == role and r.format == format)
        entries = [figure.get(theme, role, d, format, layout) for d in row.densities_in(layout)]
        return ", ".join(f"{self.url(e)} {e['width']}w" for e in entries if e)

    def _pictures(self, figure: Figure, role: str, media: str = "") -> list[Source]:
        """A role's <source>s in every layout and theme, the narrow layouts first: each
        format the table offers as a source (with its type), then the format every browser
        takes, but for the default layout and theme, whose files the <img> holds."""
        sources = []
        for layout in figure.layouts():
            row = figure.rows(role, "img")[0]
            own = figure.own(layout, role)
            size = {} if layout == DEFAULT_LAYOUT else dict(zip(("width", "height"), css(own)))
            for theme in figure.themes(layout):
                query = _and(media, layout_media(layout, figure), _dark(theme))
                for source in figure.rows(role, "source"):
                    srcset = self.widths(figure, theme, role, source.format, layout)
                    if srcset:
                        sources.append(Source(srcset, _sizes(own, layout), MEDIA_TYPES[source.format], query, **size))
                if query:
                    sources.append(Source(self.widths(figure, theme, role, row.format, layout), _sizes(own, layout),
                                          media=query, **size))
        return sources

    def _img(self, entry: dict, lazy: bool, srcset: str = "") -> dict:
        width, height = css(entry)
        return {"url": self.url(entry), "srcset": srcset, "sizes": _sizes(entry, DEFAULT_LAYOUT),
                "width": width, "height": height, "alt": entry["alt"], "lazy": lazy}

    def still(self, figure: Figure, lazy: bool = False) -> Markup:
        """The still as each reader should get it: the layout drawn for the column the page
        gives it, dark or light as the reader's system asks, in the best format the browser
        takes, and on a screen of 2 device pixels per CSS pixel the file drawn at twice the
        pixels. (Not the SVG: a phone lays out its glyph outlines on its main thread.)"""
        img_row = figure.rows("still", "img")[0]
        srcset = self.widths(figure, DEFAULT_THEME, "still", img_row.format)
        picture = {"sources": self._pictures(figure, "still"), "img": self._img(figure.own(), lazy, srcset),
                   "min": self.layout_min(figure)}
        return self.macros.picture(picture)

    @staticmethod
    def layout_min(figure: Figure) -> int | None:
        """The narrowest room, in CSS px, in which the desktop layout is shown (where the
        figure has another layout): the script chooses a picture's layout by the room its
        column gives it (static/player.js), as the player does; the media queries, by the
        screen, are for readers without it."""
        return figure.width if len(figure.layouts()) > 1 else None

    def motion(self, figure: Figure, lazy: bool = False, scripted: bool = False) -> dict:
        """The GIF of the reader's layout and theme, swapped for its poster when the reader
        asks for reduced motion. ``scripted``: in a player, which shows the poster until its
        video can play, so where scripts run the GIF is never fetched."""
        sources = []
        for query in (SCRIPTING, REDUCED_MOTION) if scripted else (REDUCED_MOTION,):
            sources += self._pictures(figure, "poster", query)
        for layout in figure.layouts():
            gif = figure.own(layout)
            size = {} if layout == DEFAULT_LAYOUT else dict(zip(("width", "height"), css(gif)))
            for theme in figure.themes(layout):
                query = _and(layout_media(layout, figure), _dark(theme))
                if query:
                    sources.append(Source(self.url(figure.get(theme, "animation", 1, "gif", layout)), media=query,
                                          **size))
        return {"sources": sources, "img": self._img(figure.own(), lazy), "min": self.layout_min(figure)}

    def player(self, figure: Figure, lazy: bool = False, caption: str | None = None) -> Markup:
        """The animation in a player: the GIF (and its posters for reduced motion) for
        readers without JavaScript; with it, the poster until the video of its layout and
        the reader's theme can play, then the video, stepped frame by frame
        (static/player.js), which takes the layout drawn for its own width."""
        gif = figure.own()
        # The player needs each frame's words, time and step; its numbers are in the table.
        moments = [{k: v for k, v in moment.items() if k != "row"} for moment in gif["timeline"]]
        rows = [moment["row"] for moment in gif["timeline"] if "row" in moment]
        layouts = []
        for layout in figure.layouts():
            width, height = css(figure.own(layout))
            layouts.append({"name": layout, "min": figure.width if layout == DEFAULT_LAYOUT else 0,
                            "width": width, "height": height,
                            "video": {theme: self.url(figure.get(theme, "video", 2, "mp4", layout))
                                      for theme in figure.themes(layout)},
                            "poster": {theme: self.url(figure.get(theme, "poster", 2, "png", layout))
                                       for theme in figure.themes(layout)}})
        layouts.sort(key=lambda layout: -layout["min"])  # the widest first: the first that fits
        return self.macros.player({
            "layouts": json.dumps(layouts, separators=(",", ":"), sort_keys=True),
            "motion": self.motion(figure, lazy, scripted=True),
            "timeline": json.dumps(moments, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
            "rows": rows if len(rows) == len(gif["timeline"]) else []}, caption)

    def video(self, figure: Figure) -> Markup:
        """The animation as a plain <video>, in the reader's layout and theme (chosen once,
        as it loads); its poster cannot follow the colour scheme."""
        gif = figure.own()
        sources = [Source(self.url(figure.get(theme, "video", 2, "mp4", layout)), type=MEDIA_TYPES["mp4"],
                          media=_and(layout_media(layout, figure), _dark(theme)), attribute="src")
                   for layout in figure.layouts() for theme in figure.themes(layout)]
        width, height = css(gif)
        return self.macros.video({"poster": self.url(figure.get(DEFAULT_THEME, "poster", 2, "png")),
                                  "width": width, "height": height, "alt": gif["alt"], "sources": sources})

    def script(self) -> Markup:
        return self.macros.script(self.player_url, self.dark, self.light)

    def captioned(self, figure: Figure, lazy: bool = False) -> Markup:
        """The still or the player with its caption, as a page shows it: in a <figure>
        with its <figcaption>, alike."""
        if figure.kind == "still":
            return self.macros.still_with_caption(self.still(figure, lazy), figure.own()["caption"])
        return self.player(figure, lazy, figure.own()["caption"])

    def markdown(self, figure: Figure) -> Markup:
        """Plain Markdown image syntax (alt text, the PNG or GIF, the caption), for a
        renderer that strips HTML."""
        own = figure.own()
        alt = own["alt"].replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return self.macros.markdown_image(alt, self.url(own), own["caption"])

    def step_link(self, step: int, text: str) -> Markup:
        """A value that is a step, as a link that moves the page's players there."""
        return self.macros.step_link(step, text)
