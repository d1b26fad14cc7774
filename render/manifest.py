"""output/manifest.json: what each asset is, what it shows in words, and the hashes of the
inputs that made it; and which assets no longer match the inputs of today.

An asset's inputs are content hashes, as sphinx-gallery keeps them: the data's bytes (and
its credit line), the code it is drawn with, the settings of its recorded run, and that
run's history. A `touch` or a `git checkout` that changes no byte changes no hash. The
build acts on these hashes and `make check` reports them; hashing is all either needs to
decide (no rendering), so deciding takes well under a second.
"""
from __future__ import annotations

import hashlib
import json
import os

MANIFEST = "manifest.json"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Modules that only publish (this one, the page): no asset is drawn with them, so a
#: change to them remakes the manifest and the page, which every build rewrites anyway.
PUBLISHING = ("render/manifest.py", "render/page.py")  # and render/player.js, not a module


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def code_files(scene: str) -> list[str]:
    """The project files an asset of ``scene`` is drawn with, from the project root: every
    module of render/ but the publishing ones, the scenes' shared pieces, the scene's own
    module, and the pinned versions of everything else."""
    ours = sorted(f"render/{n}" for n in os.listdir(os.path.join(ROOT, "render")) if n.endswith((".py", ".mplstyle")))
    return ([f for f in ours if f not in PUBLISHING]
            + ["scenes/__init__.py", "scenes/common.py", f"scenes/{scene}.py", "requirements.lock"])


def code_hash(files: list[str]) -> str:
    """One hash for a set of project files, by name and content, in sorted order."""
    return sha256_text("".join(f"{name}\0{sha256(os.path.join(ROOT, name))}\n" for name in sorted(set(files))))


def data_hash(path: str, credit: str) -> str:
    """The data as the assets show it: its bytes, and the credit line drawn on every one."""
    return sha256_text(f"{sha256(path)}\0{credit}")


def inputs(scene: str, data: str, history: str | None, params: str) -> dict[str, str | None]:
    """The hashes of everything an asset of ``scene`` is made from: ``data`` is data_hash,
    ``history`` the recorded runs as CSV text (None: they cannot be recorded), ``params``
    the settings those runs depend on."""
    return {
        "data": data,
        "history": None if history is None else sha256_text(history),
        "code": code_hash(code_files(scene)),
        "params": sha256_text(params),
    }


def load(folder: str) -> dict:
    """The manifest in ``folder``; an empty one if there is none or it cannot be read."""
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as f:
            document = json.load(f)
        if isinstance(document, dict) and isinstance(document.get("assets"), list):
            return document
    except (OSError, ValueError):
        pass
    return {"assets": []}


def dumps(manifest: dict) -> bytes:
    """Deterministic JSON: sorted keys, fixed indentation, a final newline."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def stale(manifest: dict, folder: str, current: dict[str, dict]) -> dict[str, str]:
    """Why each asset of ``current`` no longer matches, by file name: never built, missing,
    edited by hand, or made from other inputs. Matching assets are not listed.

    ``current`` maps each asset's file name to the input hashes it would be made from now.
    """
    reasons = {}
    listed = {entry["file"]: entry for entry in manifest["assets"]}
    for name in sorted(current):
        entry = listed.get(name)
        path = os.path.join(folder, name)
        if entry is None:
            reasons[name] = "not in the manifest (never built?)"
        elif not os.path.exists(path):
            reasons[name] = "missing"
        elif sha256(path) != entry["sha256"]:
            reasons[name] = "the file changed since it was rendered"
        else:
            now = current[name]
            changed = [k for k in sorted(now) if now[k] is None or now[k] != entry["inputs"].get(k)]
            if changed:
                reasons[name] = f"{', '.join(changed)} changed since it was rendered"
    return reasons
