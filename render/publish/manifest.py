"""output/manifest.json: what each file is (its scene, kind, theme and layout, and its form:
role, density, format), what it shows in words, its size and hash, and the hashes of the
inputs that made it (render/pipeline/plan.py computes them and decides from them what is
stale). It carries a version: a manifest of another version reads as empty, so every
asset is made again and no code reads an older shape."""
from __future__ import annotations

import hashlib
import json
import os

from render.outputs import Output

MANIFEST = "manifest.json"
#: The shape of the manifest: raised whenever an entry's fields change.
VERSION = 2


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load(folder: str) -> dict:
    """The manifest in ``folder``; an empty one if there is none, it cannot be read, or
    it is of another version."""
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as f:
            document = json.load(f)
        if (isinstance(document, dict) and document.get("version") == VERSION
                and isinstance(document.get("assets"), list)):
            return document
    except (OSError, ValueError):
        pass
    return {"version": VERSION, "assets": []}


def dumps(manifest: dict) -> bytes:
    """Deterministic JSON: sorted keys, fixed indentation, a final newline."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def describe(output: Output, words: tuple[str, str], credit: str, info: dict, path: str, inputs: dict,
             history: str) -> dict:
    """The manifest's entry for a file just made at ``path``: ``words`` its scene's alt
    text and caption for the render, ``info`` what the writer says it holds, ``inputs``
    the hashes it was made from, ``history`` the file of its runs."""
    alt, caption = words
    if output.form.role == "poster":
        alt = f"Last frame of the animation. {caption}"
    return dict(info, scene=output.scene, kind=output.kind, theme=output.theme, layout=output.layout,
                file=output.file, role=output.form.role, density=output.form.density, format=output.form.format,
                alt=alt, caption=caption, credit=credit, inputs=inputs, history=history,
                bytes=os.path.getsize(path), sha256=sha256(path))


def document(entries: dict[str, dict], order: list[str], scenes: dict[str, list[str]], credit: str, data: str,
             summary: str) -> dict:
    """The whole manifest: every entry in ``order`` (the registry's: stills first), the
    scenes and their kinds (what a page's figure markers may name), the data's credit
    line and file name, and the result block."""
    place = {file: i for i, file in enumerate(order)}
    return {"version": VERSION, "scenes": scenes,
            "assets": sorted(entries.values(), key=lambda e: (place.get(e["file"], len(place)), e["file"])),
            "credit": credit, "data": os.path.basename(data), "summary": summary}
