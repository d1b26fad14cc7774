"""The HTML that shows one scene's still or animation, in the reader's theme, crisp on a 2x
screen, still under reduced motion, and in the player with JavaScript: one builder for
the catalogue page (render/publish/page.py) and for the pages `make embed` fills
(render/publish/embed.py), which differ only in how a file is addressed (``url``).

Everything that came from data is escaped.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

import scenes
from render.draw.palette import THEMES

#: When a reader's system asks for dark pictures: the dark theme's media query.
DARK_MEDIA = "(prefers-color-scheme: dark)"
REDUCED_MOTION = "(prefers-reduced-motion: reduce)"
#: True where the page's scripts run, and so where a player replaces the GIF: a browser
#: that knows this feature (Chromium 120, Firefox 113, Safari 17) then fetches the poster,
#: never the GIF. One that does not know it matches nothing here and shows the GIF.
SCRIPTING = "(scripting: enabled)"
#: The player's script, written beside the pages; a tutorial page links the same file.
PLAYER = "player.js"


def themes_of(assets: dict[str, dict], scene: scenes.Scene, kind: str) -> dict[str, dict]:
    """A render's manifest entries by theme and role, for the themes whose every file is
    listed (a partial build, or a manifest older than the themes, may miss some)."""
    files = {t: {o.role.name: assets.get(o.file) for o in scene.outputs(kind, t)} for t in THEMES}
    return {t: f for t, f in files.items() if all(f.values())}


def _dark(theme: str) -> str | None:
    """The media query that picks a theme's files: none for the default, which the <img> holds."""
    return None if theme == scenes.DEFAULT_THEME else DARK_MEDIA


def _in_source_order(themes: dict) -> list[str]:
    """The themes in the order of their <source>s: the default last, as the first match wins."""
    return sorted(themes, key=lambda t: t == scenes.DEFAULT_THEME)


def _sizes(entry: dict) -> str:
    """How wide a picture is shown, in CSS pixels, for choosing from a width srcset: its
    own width, or the screen's where that is narrower (max-width: 100%)."""
    return f"(max-width: {entry['width']}px) 100vw, {entry['width']}px"


def _source(srcset: str, media: str | None = None, type_: str | None = None, attribute: str = "srcset",
            sizes: str = "") -> str:
    """A <picture>'s <source> (or a <video>'s, with ``attribute`` src)."""
    media = f' media="{media}"' if media else ""
    type_ = f' type="{type_}"' if type_ else ""
    sizes = f' sizes="{escape(sizes)}"' if sizes else ""
    return f'  <source {attribute}="{escape(srcset)}"{sizes}{type_}{media}>\n'


def _picture(sources: str, img: str) -> str:
    return f"<picture>\n{sources}  {img}\n</picture>" if sources else img


def numbers(gif: dict) -> str:
    """Every frame's numbers as a table, one row a frame, under a closed <details>: the
    animation for a reader who wants the numbers, or who cannot see it (Chartability's data
    table, MAIDR's text view). Empty for a timeline without them (an older manifest)."""
    rows = [moment["row"] for moment in gif["timeline"] if "row" in moment]
    if not rows or len(rows) != len(gif["timeline"]):
        return ""
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column, _ in rows[0])
    body = "\n".join(f'<tr><th scope="row">{escape(row[0][1])}</th>'
                     + "".join(f"<td>{escape(text)}</td>" for _, text in row[1:]) + "</tr>" for row in rows)
    return (f'<details class="gd-numbers"><summary>The numbers, frame by frame</summary>\n'
            f'<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</details>\n')


class Markup:
    """Markup for the files of a manifest, each addressed by ``url(entry)``."""

    def __init__(self, url: Callable[[dict], str] = lambda entry: entry["file"], player: str = PLAYER):
        self.url, self.player_url = url, player

    def img(self, entry: dict, srcset: str = "", lazy: bool = False) -> str:
        """An <img> with its size reserved (width and height: no layout shift while it
        loads); ``lazy`` for a picture below the first screen, fetched as it nears. The
        page's first picture is fetched first, before the lazy ones near it and the videos:
        it is the largest thing the first screen paints."""
        srcset = f' srcset="{escape(srcset)}" sizes="{escape(_sizes(entry))}"' if srcset else ""
        loading = ' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high"'
        return (f'<img src="{escape(self.url(entry))}"{srcset} width="{entry["width"]}" height="{entry["height"]}" '
                f'alt="{escape(entry["alt"])}"{loading}>')

    def widths(self, small: dict, crisp: dict) -> str:
        """A srcset of a 1x file and its 2x file by their widths: the browser takes the
        smallest that fills the picture's device pixels. A phone showing a 960 px figure
        in 380 CSS px at 1.75 device pixels per CSS pixel takes the 1x file, which is
        crisp there; a 2x laptop showing it whole takes the 2x."""
        return f"{self.url(small)} {small['width']}w, {self.url(crisp)} {crisp['width']}w"

    def still(self, entry: dict, themes: dict, lazy: bool = False) -> str:
        """The still as each reader should get it: dark or light as the reader's system
        asks, and on a screen of 2 device pixels per CSS pixel the PNG drawn at twice the
        pixels. (Not the SVG: a phone lays out its glyph outlines on its main thread.)"""
        sources, srcset = "", ""
        for theme in _in_source_order(themes):
            widths = self.widths(themes[theme]["still"], themes[theme]["crisp"])
            if _dark(theme):
                sources += _source(widths, _dark(theme), sizes=_sizes(entry))
            else:
                srcset = widths
        return _picture(sources, self.img(entry, srcset, lazy))

    def motion(self, themes: dict, lazy: bool = False, scripted: bool = False) -> str:
        """The GIF, swapped for its poster (1x or 2x, by width) when the reader asks for
        reduced motion, each in the reader's theme. ``scripted``: in a player, which shows the
        poster until its video can play, so where scripts run the GIF is never fetched."""
        sources = ""
        for still in (SCRIPTING, REDUCED_MOTION) if scripted else (REDUCED_MOTION,):
            for theme in _in_source_order(themes):
                poster = themes[theme]["poster"]
                query = " and ".join(q for q in (still, _dark(theme)) if q)
                sources += _source(self.widths(poster, themes[theme]["crisp poster"]), query, sizes=_sizes(poster))
        for theme in _in_source_order(themes):
            if _dark(theme):
                sources += _source(self.url(themes[theme]["animation"]), _dark(theme))
        return _picture(sources, self.img(themes[scenes.DEFAULT_THEME]["animation"], lazy=lazy))

    def player(self, themes: dict, lazy: bool = False) -> str:
        """The animation in a player: the GIF (and its posters for reduced motion) for
        readers without JavaScript; with it, the poster until the video in the reader's
        theme can play, then the video, stepped frame by frame (render/publish/player.js)."""
        gif = themes[scenes.DEFAULT_THEME]["animation"]
        if "timeline" not in gif:  # an entry kept from a manifest older than the player
            return f"<figure>\n{self.motion(themes, lazy)}\n</figure>"
        # the player needs each frame's words, time and step; its numbers are in the table
        moments = [{k: v for k, v in moment.items() if k != "row"} for moment in gif["timeline"]]
        timeline = json.dumps(moments, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        videos = "".join(f' data-video{"" if theme == scenes.DEFAULT_THEME else "-" + theme}='
                         f'"{escape(self.url(files["video"]))}"' for theme, files in themes.items())
        return (f'<figure class="gd-player"{videos} data-timeline="{escape(timeline)}">\n'
                f'{self.motion(themes, lazy, scripted=True)}\n{numbers(gif)}</figure>')

    def script(self) -> str:
        return f'<script src="{escape(self.player_url)}" defer></script>'

    def video(self, themes: dict) -> str:
        gif, crisp_poster = themes[scenes.DEFAULT_THEME]["animation"], themes[scenes.DEFAULT_THEME]["crisp poster"]
        sources = "".join(_source(self.url(themes[theme]["video"]), _dark(theme), "video/mp4", attribute="src")
                          for theme in _in_source_order(themes))
        return (f'<video controls autoplay muted loop playsinline poster="{escape(self.url(crisp_poster))}" '
                f'width="{gif["width"]}" height="{gif["height"]}" aria-label="{escape(gif["alt"])}">\n{sources}'
                f'</video>')
