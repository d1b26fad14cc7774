"""The assets, in build order. Scene name = module name = output file stem = Make target.

A scene module defines ``still(lesson)`` (-> NAME.png), ``animation(lesson)``
(-> NAME.gif), or both; each yields render.frames.Frame objects and never sees a path.
A scene fitting something other than the tutorial's line names its problem in PROBLEM
(see render/problems.py); it then reads that problem's recorded runs.
"""
import importlib

FIGURES = ("gd_loss", "gd_fit", "gd_learning_rates", "gd_bowl", "gd_scaling", "gd_two_features")
ANIMATIONS = ("gd_line", "gd_learning_rates", "gd_bowl")
NAMES = tuple(dict.fromkeys(FIGURES + ANIMATIONS))
SUFFIXES = {"still": ".png", "animation": ".gif"}


def get(name: str):
    """The scene module called ``name``, or None."""
    return importlib.import_module(f"scenes.{name}") if name in NAMES else None


def outputs() -> list[str]:
    """Every output file name a scene draws, stills first."""
    return [f"{n}.png" for n in FIGURES] + [f"{n}.gif" for n in ANIMATIONS]


def companions(output: str) -> list[str]:
    """Files written beside an output: an animation's poster (its last frame) and video."""
    stem, suffix = output.rsplit(".", 1)
    return [f"{stem}_poster.png", f"{stem}.mp4"] if suffix == "gif" else []


def problem(name: str) -> str:
    """The fitting problem (render/problems.py) whose recorded runs a scene draws."""
    return getattr(get(name), "PROBLEM", "line")
