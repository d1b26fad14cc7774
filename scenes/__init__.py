"""The assets, in build order. Scene name = module name = output file stem = Make target.

Each scene module has KIND ("still" -> NAME.png, "animation" -> NAME.gif) and
``draw(lesson)``, which yields render.frames.Frame objects; it never sees a path.
"""
import importlib

FIGURES = ("gd_loss", "gd_fit")
ANIMATIONS = ("gd_line",)
NAMES = FIGURES + ANIMATIONS
SUFFIX = {"still": ".png", "animation": ".gif"}


def get(name: str):
    """The scene module called ``name``, or None."""
    return importlib.import_module(f"scenes.{name}") if name in NAMES else None
