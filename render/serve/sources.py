"""What the preview watches, and which saves really changed something.

It watches folders, not files: an editor that saves by writing a new file and renaming it
over the old one leaves a watch on the old file watching nothing, while the folder sees
the new name arrive. Each folder is watched alone (not recursively), and only these
files in them count: the data file and its credit line, the code the assets and pages are
made with (render/ and scenes/: Python, style sheets, scripts, templates), the tutorial's
Markdown, and the maintainer's pages. Nothing under the output folder ever counts, nor a
``__pycache__`` (importing the new code writes there), so a rebuild never sets off
another.

A save counts only when the file's bytes differ from the last seen: a touch, an editor
saving an unchanged buffer, or the preview's own embed into the page sets nothing off.
"""
from __future__ import annotations

import hashlib
import os

#: The suffixes of the files render/ and scenes/ are made of.
CODE = (".py", ".mplstyle", ".js", ".html")


def digest(path: str) -> str | None:
    """The file's content hash, or None if it is not there (mid-save, or deleted)."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def code_folders(root: str) -> set[str]:
    """render/ and scenes/ and every folder in them but ``__pycache__``."""
    folders = set()
    for top in ("render", "scenes"):
        for folder, dirs, _ in os.walk(os.path.join(root, top)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            folders.add(os.path.realpath(folder))
    return folders


class Sources:
    """The watched files of one preview, and their content as last seen."""

    def __init__(self, root: str, data: str, out_dir: str, pages: tuple[str, ...] = ()):
        self.root = os.path.realpath(root)
        self.out_dir = os.path.realpath(out_dir)
        self.code_folders = code_folders(self.root)
        self.tutorial = os.path.join(self.root, "tutorial")
        data = os.path.realpath(data)
        # The credit line travels beside the data (render/engine/data.py) and is drawn
        # on every asset.
        self.files = {data, os.path.splitext(data)[0] + ".credit"}
        self.data = data
        # The maintainer's pages (PAGE=, or every page of SITE=) and the site file.
        self.pages = tuple(os.path.realpath(page) for page in pages)
        self.files.update(self.pages)
        self.seen = {path: digest(path) for path in self.watched()}

    def folders(self) -> list[str]:
        """The folders to watch, each alone; those that do not exist (yet) are left out."""
        wanted = self.code_folders | {self.tutorial} | {os.path.dirname(f) for f in self.files}
        return sorted(f for f in wanted if os.path.isdir(f))

    def counts(self, path: str) -> bool:
        """Whether a change to ``path`` may matter (watchfiles' filter)."""
        path = os.path.realpath(path)
        if path == self.out_dir or path.startswith(self.out_dir + os.sep) or "__pycache__" in path.split(os.sep):
            return False
        if path in self.files:
            return True
        folder = os.path.dirname(path)
        if folder in self.code_folders:
            return path.endswith(CODE)
        return folder == self.tutorial and path.endswith(".md")

    def watched(self) -> list[str]:
        """Every file that counts now, in the watched folders."""
        found = set(self.files)
        for folder in self.folders():
            found |= {os.path.join(folder, n) for n in os.listdir(folder) if self.counts(os.path.join(folder, n))}
        return sorted(found)

    def edited(self, paths) -> list[str]:
        """Of these paths, those whose content is not what it was last seen to be (a file
        made, changed or removed), from now on seen as they are."""
        edited = []
        for path in sorted({os.path.realpath(p) for p in paths}):
            now = digest(path)
            if now != self.seen.get(path):
                self.seen[path] = now
                edited.append(path)
        return edited

    def saw(self, path: str) -> None:
        """The preview itself wrote ``path`` (the page, re-embedded): not an edit."""
        self.seen[os.path.realpath(path)] = digest(path)

    def is_code(self, path: str) -> bool:
        return os.path.dirname(path) in self.code_folders

    def name(self, path: str) -> str:
        """A path as the terminal shows it: from the project root when it is inside."""
        return os.path.relpath(path, self.root) if path.startswith(self.root + os.sep) else path
