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
from render.outputs import DEFAULT_LAYOUT, DEFAULT_THEME, FILES, ROLES, THEMES

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

    def themes(self, layout: str = DEFAULT_LAYOUT) -> list[str]:
        """The themes whose files the page needs are all listed (a partial build may miss
        some), in the order of a picture's <source>s: the default last, as the first match wins."""
        needed = [(row.role, d, row.format) for row in FILES if ROLES[row.role].kind == self.kind
                  and (row.offer == "img" or row.role in ("animation", "video")) for d in row.densities]
        found = [theme for theme, at in self.files if at == layout
                 and all(form in self.files[theme, at] for form in needed)]
        return sorted(found, key=lambda t: t == DEFAULT_THEME)

    @property
    def own(self) -> dict:
        """The render's own file in the default theme and layout: the still's PNG, the GIF."""
        row = next(row for row in FILES if ROLES[row.role].kind == self.kind)
        return self.get(DEFAULT_THEME, row.role, row.densities[0], row.format)

    def complete(self) -> bool:
        return DEFAULT_THEME in self.themes()


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


def _dark(theme: str) -> str:
    """The media query that picks a theme's files: none for the default, which the <img> holds."""
    return "" if theme == DEFAULT_THEME else DARK_MEDIA


def _and(*queries: str) -> str:
    return " and ".join(q for q in queries if q)


def _sizes(entry: dict) -> str:
    """How wide a picture is shown, in CSS pixels, for choosing from a width srcset: its
    own width, or the screen's where that is narrower (max-width: 100%)."""
    return f"(max-width: {entry['width']}px) 100vw, {entry['width']}px"


class FigureMarkup:
    """Markup for the files of a manifest, each addressed by ``url(entry)``: the macros of
    templates/figures.html, given what they show. Each returns markupsafe's Markup: HTML
    that the macros escaped, safe to put in a template as it is."""

    def __init__(self, url: Callable[[dict], str] = lambda entry: entry["file"], player: str = PLAYER):
        self.url, self.player_url = url, player
        self.macros = environment().get_template("figures.html").module

    def widths(self, figure: Figure, theme: str, role: str, format: str) -> str:
        """A srcset of a role's files in one format by their widths: the browser takes the
        smallest that fills the picture's device pixels. A phone showing a 960 px figure in
        380 CSS px at 1.75 device pixels per CSS pixel takes the 1x file, which is crisp
        there; a 2x laptop showing it whole takes the 2x."""
        row = next(r for r in FILES if r.role == role and r.format == format)
        entries = [figure.get(theme, role, d, format) for d in row.densities]
        return ", ".join(f"{self.url(e)} {e['width']}w" for e in entries if e)

    def _pictures(self, figure: Figure, role: str, media: str = "") -> list[Source]:
        """A role's <source>s in every theme: each format the table offers as a source
        (with its type), then, but for the default theme (whose files the <img> holds),
        the format every browser takes."""
        row = figure.rows(role, "img")[0]
        own = figure.get(DEFAULT_THEME, role, row.densities[0], row.format)
        sources = []
        for theme in figure.themes():
            for row in figure.rows(role, "source"):
                sources.append(Source(self.widths(figure, theme, role, row.format), _sizes(own),
                                      MEDIA_TYPES[row.format], _and(media, _dark(theme))))
            if theme != DEFAULT_THEME or media:
                for row in figure.rows(role, "img"):
                    sources.append(Source(self.widths(figure, theme, role, row.format), _sizes(own),
                                          media=_and(media, _dark(theme))))
        return sources

    def _img(self, entry: dict, lazy: bool, srcset: str = "") -> dict:
        return {"url": self.url(entry), "srcset": srcset, "sizes": _sizes(entry), "width": entry["width"],
                "height": entry["height"], "alt": entry["alt"], "lazy": lazy}

    def still(self, figure: Figure, lazy: bool = False) -> Markup:
        """The still as each reader should get it: dark or light as the reader's system
        asks, in the best format the browser takes, and on a screen of 2 device pixels per
        CSS pixel the file drawn at twice the pixels. (Not the SVG: a phone lays out its
        glyph outlines on its main thread.)"""
        img_row = figure.rows("still", "img")[0]
        srcset = self.widths(figure, DEFAULT_THEME, "still", img_row.format)
        picture = {"sources": self._pictures(figure, "still"), "img": self._img(figure.own, lazy, srcset)}
        return self.macros.picture(picture)

    def motion(self, figure: Figure, lazy: bool = False, scripted: bool = False) -> dict:
        """The GIF, swapped for its poster when the reader asks for reduced motion, each in
        the reader's theme. ``scripted``: in a player, which shows the poster until its
        video can play, so where scripts run the GIF is never fetched."""
        sources = []
        for query in (SCRIPTING, REDUCED_MOTION) if scripted else (REDUCED_MOTION,):
            sources += self._pictures(figure, "poster", query)
        for theme in figure.themes():
            if theme != DEFAULT_THEME:
                sources.append(Source(self.url(figure.get(theme, "animation", 1, "gif")), media=_dark(theme)))
        return {"sources": sources, "img": self._img(figure.own, lazy)}

    def player(self, figure: Figure, lazy: bool = False) -> Markup:
        """The animation in a player: the GIF (and its posters for reduced motion) for
        readers without JavaScript; with it, the poster until the video in the reader's
        theme can play, then the video, stepped frame by frame (static/player.js)."""
        gif = figure.own
        # The player needs each frame's words, time and step; its numbers are in the table.
        moments = [{k: v for k, v in moment.items() if k != "row"} for moment in gif["timeline"]]
        rows = [moment["row"] for moment in gif["timeline"] if "row" in moment]
        videos = [(f"data-video{'' if theme == DEFAULT_THEME else '-' + theme}",
                   self.url(figure.get(theme, "video", 2, "mp4"))) for theme in THEMES if theme in figure.themes()]
        return self.macros.player({
            "videos": videos, "motion": self.motion(figure, lazy, scripted=True),
            "timeline": json.dumps(moments, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
            "rows": rows if len(rows) == len(gif["timeline"]) else []})

    def video(self, figure: Figure) -> Markup:
        """The animation as a plain <video>; its poster cannot follow the colour scheme."""
        gif = figure.own
        sources = [Source(self.url(figure.get(theme, "video", 2, "mp4")), type=MEDIA_TYPES["mp4"],
                          media=_dark(theme), attribute="src") for theme in figure.themes()]
        return self.macros.video({"poster": self.url(figure.get(DEFAULT_THEME, "poster", 2, "png")),
                                  "width": gif["width"], "height": gif["height"], "alt": gif["alt"],
                                  "sources": sources})

    def script(self) -> Markup:
        return self.macros.script(self.player_url)

    def captioned(self, figure: Figure, lazy: bool = False) -> Markup:
        """The still or the player with its caption, as a page shows it."""
        if figure.kind == "still":
            return self.macros.still_with_caption(self.still(figure, lazy), figure.own["caption"])
        return self.macros.player_with_caption(self.player(figure, lazy), figure.own["caption"])

    def markdown(self, figure: Figure) -> Markup:
        """Plain Markdown image syntax (alt text, the PNG or GIF, the caption), for a
        renderer that strips HTML."""
        own = figure.own
        alt = own["alt"].replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return self.macros.markdown_image(alt, self.url(own), own["caption"])

    def step_link(self, step: int, text: str) -> Markup:
        """A value that is a step, as a link that moves the page's players there."""
        return self.macros.step_link(step, text)
