"""The registry: every scene, declared once, with the facts the build needs about it. The
build reads it through render/pipeline/registry.py, and everything else (the command line,
the manifest, `make check`, the pages, `make help`, the tests) through the build.

Scene name = module name = output file stem = Make target. A scene module defines
``still(lesson, pen)``, ``animation(lesson, pen)`` or both, as its entry's ``kinds`` say,
each yielding shots (render/draw/frames.py) drawn with the pen it is handed, and
``words(lesson, kind)``, its alt text and caption. It never sees a path or a file format:
which files a render writes is render/outputs.py's table. ``problem`` names the recorded
runs it draws (render/engine/problems.py).

This file imports nothing: Make reads the list of scenes (render/makevars.py) with the
system Python, before any virtual environment exists.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scene:
    name: str
    kinds: tuple[str, ...]  # "still", "animation" or both, in that order
    problem: str = "line"
    #: Formats of render/outputs.py's table this scene does not write.
    skip: tuple[str, ...] = ()
    #: Whether every frame of its animation is drawn whole (a turning camera), so that
    #: frame workers pay off; a scene that blits draws a frame in milliseconds.
    whole_frames: bool = False


SCENES = (
    Scene("gd_line", ("animation",)),
    Scene("gd_loss", ("still",)),
    Scene("gd_fit", ("still",)),
    Scene("gd_learning_rates", ("still", "animation")),
    Scene("gd_bowl", ("still", "animation"), skip=("svg",)),  # its SVG: 800 KB of polygons
    Scene("gd_scaling", ("still",), problem="scaling"),
    Scene("gd_two_features", ("still",), problem="two_features"),
    Scene("gd_linked", ("animation",)),
)
