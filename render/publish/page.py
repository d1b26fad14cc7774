"""output/index.html: the catalogue page. Every asset with its caption and alt text, the
HTML a tutorial author copies, the result block and the data, in one self-contained file
that opens from disk or any static host, through a Jinja2 template (templates/index.html)
that escapes everything that came from data."""
from __future__ import annotations

import os
from markupsafe import Markup as Safe  # HTML built and escaped here

import scenes
from render.draw.palette import DARK, LIGHT, Theme
from render.engine.data import Standings
from render.publish.markup import DARK_MEDIA, PLAYER, Markup, themes_of

#: The catalogue sits beside the files it shows: each by its name.
MARKUP = Markup()

def style() -> str:
    """The page's look, in the themes' colours (render/draw/palette.py): light, or dark when
    the reader's system asks for it, like the pictures."""
    def colours(t: Theme) -> str:
        return (f"body {{ background: {t.background}; color: {t.text}; }}\n"
                f".credit, .sizes {{ color: {t.muted}; }}\n"
                f"figure img, figure video {{ border-color: {t.card_edge}; }}\n"
                f"pre, textarea {{ background: {t.panel}; color: {t.text}; }}\n"
                f"a {{ color: {t.rates[1]}; }}")
    return f"""
:root {{ color-scheme: light dark; }}
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 1040px; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin-bottom: 0.2rem; }} h2 {{ font-size: 1.2rem; margin-top: 2.5rem; }}
.credit, .sizes {{ font-size: 0.9rem; }}
figure {{ margin: 1rem 0; }} figure img, figure video {{ max-width: 100%; height: auto; border: 1px solid; }}
figcaption, .caption {{ margin-top: 0.4rem; }}
pre {{ padding: 0.7rem; overflow-x: auto; font-size: 0.85rem; white-space: pre-wrap; overflow-wrap: anywhere; }}
.snippet {{ margin: 0.6rem 0; }} .snippet button {{ font: inherit; font-size: 0.85rem; padding: 0.2rem 0.7rem; }}
textarea#copied {{ width: 100%; height: 4.5rem; font: 0.8rem monospace; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }} td, th {{ padding: 0.15rem 0.6rem; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
{colours(LIGHT)}
@media {DARK_MEDIA} {{
{colours(DARK)}
}}
"""



# Copy with the clipboard API where the browser allows it (it may not for a file:// page),
# else by selecting a text area; either way the text also lands in the "copied" box.
SCRIPT = """
function copySnippet(button) {
  var text = document.getElementById(button.dataset.snippet).textContent;
  var box = document.getElementById('copied');
  box.value = text;
  function fallback() { box.select(); try { document.execCommand('copy'); } catch (e) {} }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () { button.textContent = 'Copied'; }, fallback);
  } else { fallback(); button.textContent = 'Copied'; }
}
"""


def kilobytes(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def environment():
    """Jinja2 for both pages (templates/), autoescape on: what is not marked safe is
    escaped. Imported when a page is written: `make check` never needs it."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                       keep_trailing_newline=True)


def page(manifest: dict, standings: Standings) -> str:
    """The catalogue page for ``manifest``, through its Jinja2 template (autoescape on:
    only the markup built here, itself escaped, is marked safe)."""
    assets = {entry["file"]: entry for entry in manifest["assets"]}
    sections = []
    for entry in manifest["assets"]:
        if entry["role"] not in scenes.KINDS or entry.get("theme", scenes.DEFAULT_THEME) != scenes.DEFAULT_THEME:
            continue  # one section a scene's still or animation, with every theme's files
        kind = entry["role"]  # a render's own file's role is its kind
        themes = themes_of(assets, scenes.get(entry["scene"]), kind)
        # the first picture may be on the first screen (and the largest thing painted):
        # it loads at once, the others as the reader nears them
        sections.append((_still if kind == "still" else _animation)(entry, themes, lazy=bool(sections)))
    teams = [(team, f"{w:g}", f"{rd:g}") for team, w, rd in zip(standings.teams, standings.wins, standings.run_diff)]
    return environment().get_template("index.html").render(
        style=Safe(style()), credit=manifest["credit"], data=manifest["data"], summary=manifest["summary"],
        sections=sections, teams=teams, script=Safe(SCRIPT), player=PLAYER)


def _snippet(ident: str, label: str, html: str) -> dict:
    """A snippet to copy: shown escaped (the template escapes it), copied as real HTML."""
    return {"ident": ident, "label": label, "html": html}


def player_script() -> bytes:
    with open(os.path.join(os.path.dirname(__file__), PLAYER), "rb") as f:
        return f.read()


def _still(entry: dict, themes: dict, lazy: bool) -> dict:
    ident = entry["file"].replace(".", "-")
    image = MARKUP.still(entry, themes, lazy)
    sizes = []
    for theme, files in themes.items():
        vector = f", SVG {kilobytes(files['vector']['bytes'])}" if "vector" in files else ""
        sizes.append(f"{theme}: PNG {kilobytes(files['still']['bytes'])}, "
                     f"2x PNG {kilobytes(files['crisp']['bytes'])}{vector}")
    return {"kind": "still", "ident": ident, "file": entry["file"], "picture": Safe(image), "caption": entry["caption"],
            "sizes": f"{entry['width']}x{entry['height']} px; " + ("; ".join(sizes) or f"PNG {kilobytes(entry['bytes'])}"),
            "vectors": [files["vector"]["file"] for files in themes.values() if "vector" in files],
            "snippets": [_snippet(ident + "-html", "HTML", image)]}


def _animation(gif: dict, themes: dict, lazy: bool) -> dict:
    ident = gif["file"].replace(".", "-")
    if scenes.DEFAULT_THEME not in themes:  # a manifest older than the 2x posters: the GIF alone
        return {"kind": "animation", "ident": ident, "file": gif["file"], "picture": Safe(MARKUP.img(gif, lazy=lazy)),
                "caption": None, "sizes": "", "snippets": []}
    player = MARKUP.player(themes, lazy)
    sizes = "; ".join(f"{theme}: GIF {kilobytes(f['animation']['bytes'])}, MP4 {kilobytes(f['video']['bytes'])} "
                      f"({f['video']['width']}x{f['video']['height']} px), "
                      f"posters {kilobytes(f['poster']['bytes'] + f['crisp poster']['bytes'])}"
                      for theme, f in themes.items())
    return {"kind": "animation", "ident": ident, "file": gif["file"], "picture": Safe(player),
            "caption": gif["caption"],
            "sizes": f"{gif['width']}x{gif['height']} px, {gif['frames']} frames, {gif['duration_ms'] / 1000:.1f} s; {sizes}",
            "snippets": [_snippet(ident + "-player", "Player (the GIF without JavaScript; link player.js once per page)",
                                  f"{player}\n{MARKUP.script()}"),
                         _snippet(ident + "-video", "Video", MARKUP.video(themes))]}
