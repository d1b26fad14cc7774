"""Make's view of the project: the scenes (scenes/__init__.py) and every setting with its
default (render/settings.py), as a Makefile fragment, so the Makefile names no scene and
writes no default.

``python3 -m render.makevars`` prints it; the Makefile writes it to .scenes.mk whenever
the registry or the settings change. It runs on the system Python, before any virtual
environment exists: nothing it imports may need a package.
"""
from __future__ import annotations

import sys

import scenes
from render import settings

#: Each setting's command-line option (python -m render).
OPTIONS = {"DATA": "--data", "LR": "--lr", "STEPS": "--steps", "M0": "--m0", "B0": "--b0", "RATES": "--rates",
           "THEMES": "--themes", "OUT": "--out-dir"}
#: The settings of the recorded runs (what `make summary` takes); the build also takes THEMES and OUT.
RUN = ("DATA", "LR", "STEPS", "M0", "B0", "RATES")


def make_value(value) -> str:
    """A default as Make writes it: 0.1, 200, 0, and a list as words (0.001 0.1 1.5)."""
    if isinstance(value, tuple):
        return " ".join(map(make_value, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def fragment() -> str:
    defaults = settings.defaults()
    assert set(defaults) == set(OPTIONS), "every setting needs its option"
    lines = [f"SCENES := {' '.join(scenes.NAMES)}",
             f"SETTING_NAMES := {' '.join(defaults)}"]
    lines += [f"{name} ?= {make_value(value)}".rstrip() for name, value in defaults.items()]
    lines += [f"PORT ?= {settings.PORT}"]  # make serve's; no asset depends on it
    # Recursively expanded: each run reads the values as Make has them then.
    run = " ".join(f'{OPTIONS[name]} "$({name})"' for name in RUN)
    lines += [f"RUN_ARGS = {run}",
              f"BUILD_ARGS = $(RUN_ARGS) " + " ".join(f'{OPTIONS[n]} "$({n})"' for n in defaults if n not in RUN)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(fragment())
