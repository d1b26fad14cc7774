"""Writes what the build publishes into the output folder, last, once the renders are in
place: the manifest, then the player's script, the catalogue page and the tutorial, each
only when its bytes change (an unchanged file keeps its time, so Make sees nothing new)."""
from __future__ import annotations

import os

from render.atomic import write_if_changed
from render.engine.data import Standings
from render.publish import manifest, tutorial
from render.publish.html import PLAYER, static
from render.publish.page import page
from render.publish.values import Value


def publish(out_dir: str, document: dict, standings: Standings, values: dict[str, Value],
            cannot_draw: dict[str, str] | None = None) -> None:
    """Write the manifest ``document``, the player, the catalogue page and the tutorial
    (``cannot_draw``: why a scene cannot be drawn for this data, by name)."""
    write_if_changed(os.path.join(out_dir, manifest.MANIFEST), manifest.dumps(document))
    write_if_changed(os.path.join(out_dir, PLAYER), static(PLAYER))
    write_if_changed(os.path.join(out_dir, "index.html"), page(document, standings).encode())
    write_if_changed(os.path.join(out_dir, tutorial.PAGE),
                     tutorial.tutorial(document, values, out_dir, cannot_draw).encode())


def player_stale(out_dir: str) -> str | None:
    """Why the output folder's player is not the project's own, or None if it is."""
    try:
        with open(os.path.join(out_dir, PLAYER), "rb") as f:
            if f.read() != static(PLAYER):
                return f"differs from render/publish/static/{PLAYER}"
    except OSError:
        return "missing"
    return None
