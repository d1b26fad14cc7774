"""The registry: every scene, declared once. The build, the command line, the manifest,
`make check`, the page, `make help` and the tests all read it here.

Scene name = module name = output file stem = Make target. A scene module defines
``still(lesson, pen)`` (-> NAME.png, and NAME.svg or NAME@2x.png for 2x screens),
``animation(lesson, pen)`` (-> NAME.gif, with its last frame as NAME_poster.png and
NAME_poster@2x.png, and the same frames at twice the pixels as NAME.mp4), or both, as its
entry says. Each yields shots (render/draw/frames.py) drawn with the pen it is handed (a
theme, a scale, the credit line) and never sees a path. Every render is made once per
theme (render/draw/palette.py): the default's files as above, the others' with the theme
in the stem (NAME-dark.png, NAME-dark_poster.png, ...). ``problem`` names the recorded
runs it draws (render/engine/problems.py); the settings that change a scene are that
problem's. What each file of a render is for is its ``Role``, one record that the build,
the manifest and the pages share.

This file imports nothing heavy: Make reads the list of scenes (render/makevars.py) with
the system Python, before any virtual environment exists.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from render.draw.palette import THEMES


@dataclass(frozen=True)
class Role:
    """What one file of a render is for. ``name`` is what the manifest calls it; a
    render's first role is its own file, the others are written beside it from the same
    frames. ``crisp`` files are for screens of 2 device pixels per CSS pixel."""

    name: str
    pattern: str  # the file name, from the render's stem
    crisp: bool = False


#: A still's crisp version is the PNG drawn at twice the pixels: a browser decodes it off
#: its main thread, where an SVG whose every glyph is an outline costs a phone 50 ms or
#: more to lay out. The SVG is kept beside it as the still's vector file, for print and
#: slides, except where it would be heavy (a 3D surface of thousands of polygons).
SVG, CRISP_PNG = ".svg", "@2x.png"
#: An SVG above this many bytes is left out (tests hold every SVG to it).
MAX_SVG_BYTES = 300_000
STILL, CRISP = Role("still", "{stem}.png"), Role("crisp", "{stem}@2x.png", crisp=True)
VECTOR = Role("vector", "{stem}.svg")
ANIMATION, POSTER = Role("animation", "{stem}.gif"), Role("poster", "{stem}_poster.png")
CRISP_POSTER = Role("crisp poster", "{stem}_poster@2x.png", crisp=True)
#: The animation's frames as drawn, at twice the pixels, for the player.
VIDEO = Role("video", "{stem}.mp4", crisp=True)
#: The files a render of each kind writes, its own first.
KINDS = {"still": (STILL, CRISP, VECTOR), "animation": (ANIMATION, POSTER, CRISP_POSTER, VIDEO)}
DEFAULT_THEME = next(iter(THEMES))


@dataclass(frozen=True)
class Output:
    """One file of one render: the build writes it, the manifest lists it under its role,
    the pages place it by role."""

    file: str  # gd_fit-dark.svg
    role: Role
    scene: str
    kind: str  # the render's kind: "still" or "animation"
    theme: str


@dataclass(frozen=True)
class Scene:
    name: str
    kinds: tuple[str, ...]  # "still", "animation" or both, in that order
    problem: str = "line"
    vector: bool = True  # whether its still has an SVG too

    @property
    def module(self):
        return importlib.import_module(f"scenes.{self.name}")

    def outputs(self, kind: str, theme: str = DEFAULT_THEME) -> tuple[Output, ...]:
        """The files one render of ``kind`` in ``theme`` writes: its own first, then its
        companions."""
        stem = self.name if theme == DEFAULT_THEME else f"{self.name}-{theme}"
        return tuple(Output(role.pattern.format(stem=stem), role, self.name, kind, theme)
                     for role in KINDS[kind] if role is not VECTOR or self.vector)

    def roles(self, kind: str, theme: str = DEFAULT_THEME) -> dict[str, str]:
        """The same files by role name: {"still": "gd_fit.png", "crisp": "gd_fit@2x.png", "vector": "gd_fit.svg"}."""
        return {o.role.name: o.file for o in self.outputs(kind, theme)}

    def files(self, kind: str, theme: str = DEFAULT_THEME) -> list[str]:
        return [o.file for o in self.outputs(kind, theme)]


SCENES = (
    Scene("gd_line", ("animation",)),
    Scene("gd_loss", ("still",)),
    Scene("gd_fit", ("still",)),
    Scene("gd_learning_rates", ("still", "animation")),
    Scene("gd_bowl", ("still", "animation"), vector=False),  # its SVG: 800 KB of polygons
    Scene("gd_scaling", ("still",), problem="scaling"),
    Scene("gd_two_features", ("still",), problem="two_features"),
    Scene("gd_linked", ("animation",)),
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
