"""The scenes' registry as the build sees it: the one module of render/ that imports
``scenes``. Everything else learns of a scene through here, or from the manifest.

A render is a scene's still or animation in one theme and one layout; its files are
render/outputs.py's rows for its kind. Like the registry and the table, this module
imports nothing heavy: Make reads it with the system Python.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import scenes
from render import outputs
from render.outputs import DEFAULT_LAYOUT, DEFAULT_THEME, LAYOUTS, THEMES, Output

SCENES = scenes.SCENES
BY_NAME = {s.name: s for s in SCENES}
NAMES = tuple(BY_NAME)
FIGURES = tuple(s.name for s in SCENES if "still" in s.kinds)
ANIMATIONS = tuple(s.name for s in SCENES if "animation" in s.kinds)


def get(name: str) -> scenes.Scene | None:
    return BY_NAME.get(name)


def module(scene: scenes.Scene):
    """The scene's module: its drawing and its words (imported when first asked for)."""
    return importlib.import_module(f"scenes.{scene.name}")


@dataclass(frozen=True)
class Render:
    """One render: a scene's still or animation in one theme and one layout."""

    scene: scenes.Scene
    kind: str
    theme: str = DEFAULT_THEME
    layout: str = DEFAULT_LAYOUT
    formats: tuple[str, ...] = ()  # only files of these (all when empty)

    @property
    def outputs(self) -> list[Output]:
        """Its files, its own (the first row of its kind) first."""
        return outputs.outputs(self.scene.name, self.kind, self.theme, self.layout, self.scene.skip, self.formats)

    @property
    def files(self) -> list[str]:
        return [o.file for o in self.outputs]

    @property
    def whole_frames(self) -> bool:
        """Whether every frame is drawn whole (a turning camera): frame workers pay off."""
        return self.kind == "animation" and self.scene.whole_frames


def renders(themes=(), layouts=(), names=(), kinds=(), formats=()) -> list[Render]:
    """Every render of the chosen scenes, kinds, themes and layouts (each: all when
    empty), stills first, then by scene, layout and theme: the order of the manifest and
    the pages; each writing the chosen formats (all when empty)."""
    return [Render(scene, kind, theme, layout, tuple(formats)) for kind in outputs.KINDS for scene in SCENES
            if kind in scene.kinds and (not names or scene.name in names) and (not kinds or kind in kinds)
            for layout in LAYOUTS if not layouts or layout in layouts
            for theme in THEMES if not themes or theme in themes]


def files(themes=(), layouts=(), names=(), kinds=(), formats=()) -> list[str]:
    """Every file of those renders, in order."""
    return [f for r in renders(themes, layouts, names, kinds, formats) for f in r.files]


def own_files(themes=(), layouts=(), names=(), kinds=()) -> list[str]:
    """Each render's own file (NAME.png, NAME.gif, NAME-dark.png, ...), in order."""
    return [r.files[0] for r in renders(themes, layouts, names, kinds)]
