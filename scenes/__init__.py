"""The registry: every scene, declared once. The build, the command line, the manifest,
`make check`, the page, `make help` and the tests all read it here.

Scene name = module name = output file stem = Make target. A scene module defines
``still(lesson)`` (-> NAME.png, and NAME.svg or NAME@2x.png for 2x screens),
``animation(lesson)`` (-> NAME.gif, with its last frame as NAME_poster.png and
NAME_poster@2x.png, and the same frames at twice the pixels as NAME.mp4), or both, as its
entry says; each yields shots (render.frames) and never sees a path. Every render is made
once per theme (render/palette.py): the default's files as above, the others' with the
theme in the stem (NAME-dark.png, NAME-dark_poster.png, ...). ``problem`` names the
recorded runs it draws (render/problems.py); the settings that change a scene are that
problem's.

This file imports nothing heavy: Make reads the list of scenes (``make_fragment``) with
the system Python, before any virtual environment exists.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from render.palette import THEMES

#: What a render of each kind writes: each file's role (the manifest's "kind") and name
#: pattern. The first is the kind's own file, the others are written beside it from the
#: same frames. A still's crisp version is for screens of 2 device pixels per CSS pixel
#: ({sharp}); an animation's crisp poster and video are drawn at twice the pixels for the
#: player (its GIF and first poster at 1x).
KINDS = {
    "still": {"still": "{stem}.png", "crisp": "{stem}{sharp}"},
    "animation": {"animation": "{stem}.gif", "poster": "{stem}_poster.png",
                  "crisp poster": "{stem}_poster@2x.png", "video": "{stem}.mp4"},
}
#: A still's crisp version: an SVG, or where that would be heavy (a 3D surface of
#: thousands of polygons), the PNG drawn at twice the size.
SVG, DOUBLE = ".svg", "@2x.png"
#: An SVG above this many bytes is a 2x PNG instead (tests hold every SVG to it).
MAX_SVG_BYTES = 300_000
DEFAULT_THEME = next(iter(THEMES))


@dataclass(frozen=True)
class Scene:
    name: str
    kinds: tuple[str, ...]  # "still", "animation" or both, in that order
    problem: str = "line"
    sharp: str = SVG  # the crisp still: SVG, or DOUBLE

    @property
    def module(self):
        return importlib.import_module(f"scenes.{self.name}")

    def roles(self, kind: str, theme: str = DEFAULT_THEME) -> dict[str, str]:
        """The files one render of ``kind`` in ``theme`` writes, by role: its own first,
        then its companions."""
        stem = self.name if theme == DEFAULT_THEME else f"{self.name}-{theme}"
        return {role: pattern.format(stem=stem, sharp=self.sharp) for role, pattern in KINDS[kind].items()}

    def files(self, kind: str, theme: str = DEFAULT_THEME) -> list[str]:
        return list(self.roles(kind, theme).values())


SCENES = (
    Scene("gd_line", ("animation",)),
    Scene("gd_loss", ("still",)),
    Scene("gd_fit", ("still",)),
    Scene("gd_learning_rates", ("still", "animation")),
    Scene("gd_bowl", ("still", "animation"), sharp=DOUBLE),  # its SVG: 800 KB of polygons
    Scene("gd_scaling", ("still",), problem="scaling"),
    Scene("gd_two_features", ("still",), problem="two_features"),
)
BY_NAME = {s.name: s for s in SCENES}
NAMES = tuple(BY_NAME)
FIGURES = tuple(s.name for s in SCENES if "still" in s.kinds)
ANIMATIONS = tuple(s.name for s in SCENES if "animation" in s.kinds)


def get(name: str) -> Scene | None:
    return BY_NAME.get(name)


def renders(themes=tuple(THEMES)) -> list[tuple[Scene, str, str]]:
    """Every (scene, kind, theme) render, stills first, each in every theme: the order of
    the manifest and the page."""
    return [(s, k, t) for k in KINDS for s in SCENES if k in s.kinds for t in THEMES if t in themes]


def outputs(themes=tuple(THEMES)) -> list[str]:
    """Each render's own file (NAME.png, NAME.gif, NAME-dark.png, ...), stills first."""
    return [scene.files(kind, theme)[0] for scene, kind, theme in renders(themes)]


def all_files(themes=tuple(THEMES)) -> list[str]:
    """Every file the scenes write, companions included."""
    return [f for scene, kind, theme in renders(themes) for f in scene.files(kind, theme)]


def make_fragment() -> str:
    """Make's view of the registry (the Makefile itself names no scene)."""
    return f"SCENES := {' '.join(NAMES)}\n"
