"""Writes what the build publishes into the output folder, last, once the renders are in
place: the manifest, then the player's script, the catalogue page and the tutorial, each
only when its bytes change (an unchanged file keeps its time, so Make sees nothing new)."""
from __future__ import annotations

import os

from render.atomic import write_if_changed
from render.engine.data import Standings
from render.publish import manifest
from render.publish.page import PLAYER, page, player_script, style
from render.publish.values import Value


def publish(out_dir: str, entries: dict[str, dict], standings: Standings, data: str, summary: str,
            values: dict[str, Value]) -> dict:
    """Write the manifest of ``entries`` (by file), the player, the catalogue page and the
    tutorial; returns the manifest."""
    from render.publish import tutorial  # markdown-it and Jinja2: only when publishing

    document = manifest.document(entries, standings.credit, data, summary)
    write_if_changed(os.path.join(out_dir, manifest.MANIFEST), manifest.dumps(document))
    write_if_changed(os.path.join(out_dir, PLAYER), player_script())
    write_if_changed(os.path.join(out_dir, "index.html"), page(document, standings).encode())
    write_if_changed(os.path.join(out_dir, tutorial.PAGE), tutorial.tutorial(document, values, out_dir, style()).encode())
    return document


def player_stale(out_dir: str) -> str | None:
    """Why the output folder's player is not the project's own, or None if it is."""
    try:
        with open(os.path.join(out_dir, PLAYER), "rb") as f:
            if f.read() != player_script():
                return "differs from render/publish/player.js"
    except OSError:
        return "missing"
    return None
