"""A site's picture folder (its site file's ``out``): the files its pages use, copied from
the build, and nothing else of ours. Not the catalogue, the histories or the SVGs: a site
ships what its pages show. The folder may hold the maintainer's own files too: ours are
listed in it (OWNED), and only those are ever replaced or removed, so a figure that has
left every page takes its files with it and nothing else is touched."""
from __future__ import annotations

import os

from render.atomic import write_atomic, write_if_changed

#: The list of the files we put in a site's folder, one a line, kept in the folder.
OWNED = ".gd-files"


def owned(out: str) -> set[str]:
    try:
        with open(os.path.join(out, OWNED), encoding="utf-8") as f:
            return {line.strip() for line in f if line.strip()}
    except FileNotFoundError:
        return set()


def _bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def place(build: str, out: str, files: set[str]) -> list[str]:
    """Copy each file the pages use from the build into the site's folder (each only when
    its bytes change, each atomically); returns those copied. Call before the pages are
    written: a page never points at a file that is not there yet."""
    os.makedirs(out, exist_ok=True)
    copied = []
    for name in sorted(files):
        data = _bytes(os.path.join(build, name))
        if data is not None and _bytes(os.path.join(out, name)) != data:
            write_atomic(os.path.join(out, name), data)
            copied.append(name)
    return copied


def prune(out: str, files: set[str]) -> list[str]:
    """Remove the files of ours the pages no longer use, and list what is ours now; returns
    those removed. Call after the pages are written."""
    removed = sorted(owned(out) - files)
    for name in removed:
        try:
            os.unlink(os.path.join(out, name))
        except FileNotFoundError:
            pass
    write_if_changed(os.path.join(out, OWNED), "".join(f"{name}\n" for name in sorted(files)).encode())
    return removed


def stale(build: str, out: str, files: set[str]) -> dict[str, str]:
    """Why the site's folder does not hold what the pages use, by file: missing, not the
    build's, or ours and no longer used."""
    reasons = {}
    for name in sorted(files):
        there = _bytes(os.path.join(out, name))
        if there is None:
            reasons[name] = "missing from the site's folder"
        elif there != _bytes(os.path.join(build, name)):
            reasons[name] = "differs from the build"
    for name in sorted(owned(out) - files):
        if os.path.exists(os.path.join(out, name)):
            reasons[name] = "no page uses it any more"
    return reasons
