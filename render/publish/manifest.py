"""output/manifest.json: what each file is (its scene, role and theme), what it shows in
words, its size and hash, and the hashes of the inputs that made it (render/build/plan.py
computes them and decides from them what is stale)."""
from __future__ import annotations

import hashlib
import json
import os

import scenes

MANIFEST = "manifest.json"


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load(folder: str) -> dict:
    """The manifest in ``folder``; an empty one if there is none or it cannot be read."""
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as f:
            document = json.load(f)
        if isinstance(document, dict) and isinstance(document.get("assets"), list):
            for entry in document["assets"]:
                if "role" not in entry and "kind" in entry:  # written before roles had their name
                    entry["role"] = entry.pop("kind")
            return document
    except (OSError, ValueError):
        pass
    return {"assets": []}


def dumps(manifest: dict) -> bytes:
    """Deterministic JSON: sorted keys, fixed indentation, a final newline."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def describe(output: scenes.Output, lesson, info: dict, path: str, inputs: dict, history: str) -> dict:
    """The manifest's entry for a file just made at ``path``: ``info`` is what the writer
    says it holds, ``inputs`` the hashes it was made from, ``history`` the file of its runs."""
    alt, caption = scenes.get(output.scene).module.words(lesson, output.kind)
    if output.role == scenes.POSTER:
        alt = f"Last frame of the animation. {caption}"
    return dict(info, scene=output.scene, file=output.file, role=output.role.name, theme=output.theme, alt=alt,
                caption=caption, credit=lesson.data.credit, inputs=inputs, history=history,
                bytes=os.path.getsize(path), sha256=sha256(path))


def document(entries: dict[str, dict], credit: str, data: str, summary: str) -> dict:
    """The whole manifest: every entry in the registry's order (stills first), the data's
    credit line and file name, and the result block."""
    order = {file: i for i, file in enumerate(scenes.all_files())}
    return {"assets": sorted(entries.values(), key=lambda e: order.get(e["file"], len(order))),
            "credit": credit, "data": os.path.basename(data), "summary": summary}
