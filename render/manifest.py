"""output/manifest.json: what each asset is, what it shows in words, and the hashes of the
inputs that made it; and the check that compares those hashes with the inputs of today.

Hashing is all the check does (no rendering), so it runs in well under a second.
"""
from __future__ import annotations

import hashlib
import json
import os

MANIFEST = "manifest.json"


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def code_hash(files: list[str]) -> str:
    """One hash for a set of source files, by name and content, in sorted order."""
    return sha256_text("".join(f"{name}\0{sha256(name)}\n" for name in sorted(set(files))))


def inputs(scene: str, data: str, history: str, code: list[str], params: str) -> dict[str, str]:
    """The hashes of everything an asset of ``scene`` was made from."""
    return {
        "data": sha256(data),
        "history": sha256(history),
        "code": code_hash([*code, f"scenes/{scene}.py"]),
        "params": sha256_text(params),
    }


def dumps(manifest: dict) -> bytes:
    """Deterministic JSON: sorted keys, fixed indentation, a final newline."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def stale(manifest: dict, folder: str, current: dict[str, dict[str, str]]) -> list[str]:
    """One line per asset that no longer matches: edited, missing, or made from other inputs.

    ``current`` maps each asset's file name to the input hashes it would be made from now.
    """
    problems = []
    listed = {entry["file"]: entry for entry in manifest["assets"]}
    for name in sorted(set(current) - set(listed)):
        problems.append(f"{name}: not in the manifest (never built?)")
    for name, entry in sorted(listed.items()):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            problems.append(f"{name}: missing")
            continue
        if sha256(path) != entry["sha256"]:
            problems.append(f"{name}: the file changed since it was rendered")
            continue
        now = current.get(name)
        if now is None:
            continue  # an asset this build no longer makes; not stale, just extra
        changed = [k for k in sorted(now) if now[k] != entry["inputs"].get(k)]
        if changed:
            problems.append(f"{name}: {', '.join(changed)} changed since it was rendered")
    return problems
