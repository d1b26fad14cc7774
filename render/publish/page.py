"""output/index.html: the catalogue page. Every asset with its caption and alt text, the
HTML a tutorial author copies, the result block and the data, in one self-contained file
that opens from disk or any static host, through a Jinja2 template (templates/index.html)
that escapes everything that came from data. Its look (templates/page.css) is the
tutorial's too."""
from __future__ import annotations

from render.draw.palette import DARK, LIGHT
from render.engine.data import Standings
from render.outputs import DEFAULT_LAYOUT, DEFAULT_THEME, PAGE_MARGIN_PX
from render.publish.html import DARK_MEDIA, PLAYER, Figure, FigureMarkup, environment, figures

#: The catalogue sits beside the files it shows: each by its name.
MARKUP = FigureMarkup()


#: What the pages' stylesheet (templates/page.css) is given: the themes' colours, and the
#: margin beside a figure's column (render/outputs.py: it decides where a layout is shown).
LOOK = {"light": LIGHT, "dark": DARK, "dark_media": DARK_MEDIA, "margin": PAGE_MARGIN_PX}


def kilobytes(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def page(manifest: dict, standings: Standings) -> str:
    """The catalogue page for ``manifest``, through its Jinja2 template (autoescape on:
    only the figures' markup, escaped by its own macros, is safe as it is)."""
    sections = []
    for figure in figures(manifest).values():
        if not figure.complete():
            continue
        # the first picture may be on the first screen (and the largest thing painted):
        # it loads at once, the others as the reader nears them
        sections.append((_still if figure.kind == "still" else _animation)(figure, lazy=bool(sections)))
    teams = [(team, f"{w:g}", f"{rd:g}") for team, w, rd in zip(standings.teams, standings.wins, standings.run_diff)]
    return environment().get_template("index.html").render(
        **LOOK, credit=manifest["credit"], data=manifest["data"], summary=manifest["summary"],
        sections=sections, teams=teams, player=PLAYER)


def _sizes(figure: Figure) -> str:
    """Each theme's files of the render and their sizes: "light: PNG 60 KB, 2x PNG 120 KB"."""
    def label(role: str, density: int, format: str) -> str:
        words = (f"{density}x" if density > 1 and role != "video" else "", "poster" if role == "poster" else "",
                 format.upper())
        return " ".join(w for w in words if w)

    return "; ".join(f"{theme}: " + ", ".join(f"{label(*form)} {kilobytes(e['bytes'])}"
                                              for form, e in figure.files[theme, DEFAULT_LAYOUT].items())
                     for theme in reversed(figure.themes()))


def _snippet(ident: str, label: str, html: str) -> dict:
    """A snippet to copy: shown escaped (the template escapes it), copied as real HTML."""
    return {"ident": ident, "label": label, "html": str(html)}


def _still(figure: Figure, lazy: bool) -> dict:
    own = figure.own()
    ident = own["file"].replace(".", "-")
    image = MARKUP.still(figure, lazy)
    vectors = [e["file"] for theme in reversed(figure.themes())
               for (role, _, _), e in figure.files[theme, DEFAULT_LAYOUT].items() if role == "vector"]
    return {"kind": "still", "ident": ident, "file": own["file"], "figure": MARKUP.captioned(figure, lazy),
            "sizes": f"{own['width']}x{own['height']} px; " + _sizes(figure),
            "vectors": vectors, "snippets": [_snippet(ident + "-html", "HTML", image)]}


def _animation(figure: Figure, lazy: bool) -> dict:
    gif = figure.own()
    ident = gif["file"].replace(".", "-")
    player = MARKUP.player(figure, lazy)
    video = figure.get(DEFAULT_THEME, "video", 2, "mp4")
    return {"kind": "animation", "ident": ident, "file": gif["file"], "figure": MARKUP.captioned(figure, lazy),
            "sizes": f"{gif['width']}x{gif['height']} px, {gif['frames']} frames, {gif['duration_ms'] / 1000:.1f} s "
                     f"(video {video['width']}x{video['height']} px); "
                     + _sizes(figure),
            "snippets": [_snippet(ident + "-player", "Player (the GIF without JavaScript; link player.js once per page)",
                                  f"{player}\n{MARKUP.script()}"),
                         _snippet(ident + "-video", "Video", MARKUP.video(figure))]}
