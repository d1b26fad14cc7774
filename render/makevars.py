"""Make's view of the project: the scenes (through render/pipeline/registry.py) and every
setting with its default and help (render/settings.py), as a Makefile fragment, so the
Makefile names no scene and writes no default.

``python3 -m render.makevars`` prints it; the Makefile writes it to .scenes.mk whenever
the registry, the output table or the settings change. It runs on the system Python,
before any virtual environment exists: nothing it imports may need a package.
"""
from __future__ import annotations

import sys

from render import settings
from render.pipeline import registry


def make_value(value) -> str:
    """A default as Make writes it: 0.1, 200, 0, a list as words (0.001 0.1 1.5), none as nothing."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, tuple):
        return " ".join(map(make_value, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def argument(s: settings.Setting) -> str:
    """How a command is given a setting from its Make variable: always, or (a setting
    with no default, or a switch) only when it is set."""
    if s.parse is settings.flag:
        return f"$(if $(filter-out 0,$({s.make})),{s.option})"
    if s.from_cwd:  # Make's $(PWD) is where the command was typed, even under make -C
        return f'$(if $({s.make}),{s.option} "$(if $(filter /%,$({s.make})),,$(PWD)/)$({s.make})")'
    if s.default is None:
        return f'$(if $({s.make}),{s.option} "$({s.make})")'
    return f'{s.option} "$({s.make})"'


def fragment() -> str:
    made = [s for s in settings.TABLE if s.make]
    built = [s.make for s in made if "build" in s.commands]
    lines = [f"SCENES := {' '.join(registry.NAMES)}",
             # What a build into OUT was asked for: another value starts one.
             f"SETTING_NAMES := {' '.join(built)}",
             f"ALL_SETTINGS := {' '.join(s.make for s in made)}"]
    lines += [f"{s.make} ?= {make_value(s.default)}".rstrip() for s in made]
    lines += [f"HELP_{s.make} := {s.help}" for s in made]
    # Recursively expanded: each command reads the values as Make has them when it runs.
    for command in settings.RUNS:
        lines.append(f"ARGS_{command} = " + " ".join(argument(s) for s in made if command in s.commands))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(fragment())
