"""output/manifest.json: what each file is (its scene, kind, theme and layout, and its form:
role, density, format), what it shows in words, its size and hash, and the hashes of the
inputs that made it (render/pipeline/plan.py computes them and decides from them what is
stale). It carries a version: a manifest of another version reads as empty, so every
asset is made again and no code reads an older shape."""
from __future__ import annotations

import hashlib
import json
import os

from render.outputs import DEFAULT_LAYOUT, Output, shown_at

MANIFEST = "manifest.json"
#: The shape of the manifest: raised whenever an entry's fields change.
VERSION = 2
#: The roles of the files the pages show (a still's vector copy is only linked).
SHOWN = ("still", "animation", "poster", "video")


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
    """Deterministic JSON, one asset a line (a diff names the assets that changed, and a
    file of some 150 assets stays under 300 KB): sorted keys, a final newline."""
    def compact(value) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    lines = [f"{compact(key)}: {compact(value)}" for key, value in sorted(manifest.items()) if key != "assets"]
    assets = ",\n".join(compact(entry) for entry in manifest["assets"])
    lines.append(f'"assets": [\n{assets}\n]')
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode()


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
    """The whole manifest: every entry in ``order`` (the registry's: stills first), each
    picture with the columns the pages show it at (``shown_at``), the scenes and their
    kinds (what a page's figure markers may name), the data's credit line and file name,
    and the result block."""
    place = {file: i for i, file in enumerate(order)}
    assets = sorted(entries.values(), key=lambda e: (place.get(e["file"], len(place)), e["file"]))
    # A figure's layouts take turns at its desktop file's CSS width (render/outputs.py).
    desktop = {(e["scene"], e["kind"]): e["width"] // e["density"] for e in assets
               if e["layout"] == DEFAULT_LAYOUT and e["role"] in SHOWN}
    for entry in assets:
        if entry["role"] in SHOWN and (entry["scene"], entry["kind"]) in desktop:
            entry["shown_at"] = list(shown_at(entry["layout"], desktop[entry["scene"], entry["kind"]]))
    return {"version": VERSION, "scenes": scenes, "assets": assets,
            "credit": credit, "data": os.path.basename(data), "summary": summary}
