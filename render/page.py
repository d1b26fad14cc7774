"""output/index.html: the embed page. Every asset with its caption and alt text, the HTML a
tutorial author copies, the result block and the data, in one self-contained file that
opens from disk or any static host. Everything that came from data is escaped."""
from __future__ import annotations

import json
import os
from html import escape

import scenes
from render.data import Standings

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; color: #222; max-width: 1040px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; }
.credit, .sizes { color: #666; font-size: 0.9rem; }
figure { margin: 1rem 0; } figure img, figure video { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption, .caption { margin-top: 0.4rem; }
pre { background: #f6f6f6; padding: 0.7rem; overflow-x: auto; font-size: 0.85rem; white-space: pre-wrap; }
.snippet { margin: 0.6rem 0; } .snippet button { font: inherit; font-size: 0.85rem; padding: 0.2rem 0.7rem; }
textarea#copied { width: 100%; height: 4.5rem; font: 0.8rem monospace; }
table { border-collapse: collapse; font-size: 0.9rem; } td, th { padding: 0.15rem 0.6rem; text-align: right; }
td:first-child, th:first-child { text-align: left; }
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


def page(manifest: dict, standings: Standings) -> str:
    assets = {entry["file"]: entry for entry in manifest["assets"]}
    sections = []
    for entry in manifest["assets"]:
        if entry["kind"] == "still":
            _, sharp = (assets.get(file) for file in scenes.get(entry["scene"]).files("still"))
            sections.append(_still(entry, sharp))
        elif entry["kind"] == "animation":
            _, poster, video = (assets.get(file) for file in scenes.get(entry["scene"]).files("animation"))
            if poster and video:  # a partial first build may not have them yet
                sections.append(_animation(entry, poster, video))
    rows = "\n".join(
        f"<tr><td>{escape(team)}</td><td>{w:g}</td><td>{rd:g}</td></tr>"
        for team, w, rd in zip(standings.teams, standings.wins, standings.run_diff))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gradient descent: figures and animations</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Gradient descent: figures and animations</h1>
<p class="credit">{escape(manifest["credit"])} (file <code>{escape(manifest["data"])}</code>)</p>
<h2>The result</h2>
<pre id="summary">{escape(manifest["summary"])}</pre>
{"".join(sections)}
<h2>Copied snippet</h2>
<p>The last snippet you copied, in case your browser keeps the clipboard from this page:</p>
<textarea id="copied" readonly></textarea>
<h2>The data</h2>
<details><summary>{standings.n} teams: wins and run differential</summary>
<table><thead><tr><th>Team</th><th>W</th><th>RunDiff</th></tr></thead>
<tbody>
{rows}
</tbody></table></details>
<script>{SCRIPT}</script>
<script src="{PLAYER}" defer></script>
</body>
</html>
"""


def _img(entry: dict, srcset: str = "") -> str:
    srcset = f' srcset="{srcset}"' if srcset else ""
    return (f'<img src="{escape(entry["file"])}"{srcset} width="{entry["width"]}" height="{entry["height"]}" '
            f'alt="{escape(entry["alt"])}">')


def _snippet(ident: str, label: str, html: str) -> str:
    return (f'<div class="snippet"><strong>{escape(label)}</strong> '
            f'<button type="button" data-snippet="{ident}" onclick="copySnippet(this)">Copy</button>'
            f'<pre id="{ident}">{escape(html)}</pre></div>')


#: The player's script, written beside the page; a tutorial page links the same file.
PLAYER = "player.js"


def player_script() -> bytes:
    with open(os.path.join(os.path.dirname(__file__), PLAYER), "rb") as f:
        return f.read()


def _player(gif: dict, poster: dict, mp4: dict) -> str:
    """The animation in a player: the GIF (and its poster for reduced motion) for readers
    without JavaScript; with it, the video stepped frame by frame (render/player.js)."""
    if "timeline" not in gif:  # an entry kept from a manifest older than the player
        return f"<figure>\n{_picture(gif, poster)}\n</figure>"
    timeline = json.dumps(gif["timeline"], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (f'<figure class="gd-player" data-video="{escape(mp4["file"])}" data-timeline="{escape(timeline)}">\n'
            f'{_picture(gif, poster)}\n</figure>')


def _picture(gif: dict, poster: dict) -> str:
    """The GIF, swapped for its poster when the reader asks for reduced motion."""
    return (f'<picture>\n  <source srcset="{escape(poster["file"])}" media="(prefers-reduced-motion: reduce)">\n'
            f'  {_img(gif)}\n</picture>')


def _video(gif: dict, poster: dict, mp4: dict) -> str:
    return (f'<video controls autoplay muted loop playsinline poster="{escape(poster["file"])}" width="{mp4["width"]}" '
            f'height="{mp4["height"]}" aria-label="{escape(gif["alt"])}">\n'
            f'  <source src="{escape(mp4["file"])}" type="video/mp4">\n</video>')


def _crisp(entry: dict, sharp: dict | None) -> str:
    """The still as a screen of 2 device pixels per CSS pixel should get it: its SVG where
    the browser takes SVG, or the PNG at twice the pixels by srcset; else the PNG."""
    if sharp is None:  # an entry kept from a manifest older than the crisp versions
        return _img(entry)
    if sharp["file"].endswith(".svg"):
        return (f'<picture>\n  <source srcset="{escape(sharp["file"])}" type="image/svg+xml">\n'
                f'  {_img(entry)}\n</picture>')
    return _img(entry, f'{escape(entry["file"])} 1x, {escape(sharp["file"])} 2x')


def _still(entry: dict, sharp: dict | None) -> str:
    ident = entry["file"].replace(".", "-")
    image = _crisp(entry, sharp)
    crisp = f"; {'SVG' if sharp['file'].endswith('.svg') else '2x PNG'} {kilobytes(sharp['bytes'])}" if sharp else ""
    return f"""
<section id="{ident}">
<h2>{escape(entry["file"])}</h2>
<figure>{image}<figcaption>{escape(entry["caption"])}</figcaption></figure>
<p class="sizes">PNG, {entry["width"]}x{entry["height"]} px, {kilobytes(entry["bytes"])}{crisp}</p>
{_snippet(ident + "-html", "HTML", image)}
</section>"""


def _animation(gif: dict, poster: dict, mp4: dict) -> str:
    ident = gif["file"].replace(".", "-")
    player = _player(gif, poster, mp4)
    snippet = f'{player}\n<script src="{PLAYER}" defer></script>'
    return f"""
<section id="{ident}">
<h2>{escape(gif["file"])}</h2>
{player}
<p class="caption">{escape(gif["caption"])}</p>
<p class="sizes">GIF {kilobytes(gif["bytes"])}, MP4 {kilobytes(mp4["bytes"])}, poster {kilobytes(poster["bytes"])};
{gif["width"]}x{gif["height"]} px, {gif["frames"]} frames, {gif["duration_ms"] / 1000:.1f} s</p>
{_snippet(ident + "-player", "Player (the GIF without JavaScript; link player.js once per page)", snippet)}
{_snippet(ident + "-video", "Video", _video(gif, poster, mp4))}
</section>"""
