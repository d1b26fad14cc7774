"""The settings table: every setting a user can give, each written once, as one row: its
name, command-line option and Make variable, how its text is read and checked, its
default, its help and the commands that take it. argparse (render/__main__.py), the Make
fragment (render/makevars.py), ``Settings``, the live preview and the recorded runs'
hashes (render/engine/problems.py) all derive from it: a new setting is one row here plus
the code that uses it.

It imports nothing but the standard library: Make reads it with the system Python, before
any virtual environment exists.
"""
from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Steps are whole numbers up to this: past it the history stops being a sensible file
#: (a million steps take about 15 s and 32 MB to run, and as long again to write).
MAX_STEPS = 1_000_000

#: The commands that record the runs (all of them), that build or read the output folder,
#: and that fill a page.
RUNS = ("build", "check", "embed", "serve", "values", "summary")
OUTPUT = ("build", "check", "embed", "serve")
PAGE = ("check", "embed", "serve")


def _bad(message: str):
    return argparse.ArgumentTypeError(message)


def positive_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _bad(f"learning rate {text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise _bad(f"learning rate {text!r} must be a positive finite number")
    return value


def rates(text: str) -> tuple[float, ...]:
    return tuple(positive_rate(t) for t in text.replace(",", " ").split())


def whole(what: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from ``low`` (to ``high``), or one clear line."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise _bad(f"{what} {text!r} is not a whole number") from None
        if value < low or high is not None and value > high:
            bound = f"between {low} and {high:,}" if high is not None else f"at least {low}"
            raise _bad(f"{what} {value} must be {bound}")
        return value
    return parse


def start(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _bad(f"start value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise _bad(f"start value {text!r} must be finite")
    return value


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def flag(text: str) -> bool:
    """A Make switch: set to anything but empty or 0 means yes."""
    return text.strip() not in ("", "0")


@dataclass(frozen=True)
class Setting:
    """One row of the table."""

    name: str  # the field of Settings
    option: str  # on the command line: python -m render COMMAND --option VALUE
    make: str | None  # the Make variable (make all LR=0.05); None: the command line's alone
    default: object
    parse: Callable[[str], object]  # the text of the option or variable to a value, or one clear line
    help: str
    commands: tuple[str, ...]  # the commands that take it
    #: The problems (render/engine/problems.py) whose recorded runs it changes: it is part
    #: of their settings' hash, so a change to it remakes what they draw.
    runs: tuple[str, ...] = ()
    #: How it is written in that hash, from the settings (0.1 and 0.10 must name one run).
    text: Callable[[object], str] | None = None
    metavar: str | None = None
    is_path: bool = False  # a default path is from the project's root
    #: A path the user gives Make, relative to where they typed the command (Make runs in
    #: the project's folder: it passes such a path on made absolute).
    from_cwd: bool = False

    @property
    def cli_default(self):
        return os.path.join(ROOT, self.default) if self.is_path and self.default else self.default


def _recorded_rates(settings) -> tuple[float, ...]:
    """Every rate a comparison scene may show, smallest first; lr is always one."""
    return tuple(sorted(set(settings.rates) | {settings.lr}))


#: Every setting, in the order the command line and `make help` list them.
TABLE: list[Setting] = [
    Setting("data", "--data", "DATA", "data/sample_standings.csv", str,
            "the standings CSV (the bundled 2023 season by default)", RUNS, is_path=True),
    Setting("lr", "--lr", "LR", 0.1, positive_rate, "the learning rate of the tutorial's run", RUNS,
            runs=("line", "two_features"), text=lambda s: repr(s.lr)),
    Setting("steps", "--steps", "STEPS", 200, whole("step count", 1, MAX_STEPS), "descent steps", RUNS,
            runs=("line", "scaling", "two_features"), text=lambda s: str(s.steps)),
    Setting("m0", "--m0", "M0", 0.0, start, "the starting slope", RUNS, runs=("line", "two_features"),
            text=lambda s: repr(s.m0)),
    Setting("b0", "--b0", "B0", 0.0, start, "the starting intercept", RUNS, runs=("line", "two_features"),
            text=lambda s: repr(s.b0)),
    Setting("rates", "--rates", "RATES", (0.001, 0.1, 1.5), rates,
            "more learning rates to record and compare: crawling, healthy, exploding", RUNS,
            runs=("line", "two_features"), text=lambda s: ",".join(map(repr, _recorded_rates(s))),
            metavar="'0.001 0.1 1.5'"),
    Setting("themes", "--themes", "THEMES", (), words, "only these themes (empty: every theme)", OUTPUT,
            metavar="'light dark'"),
    Setting("layouts", "--layouts", "LAYOUTS", (), words,
            "only these layouts (empty: every layout; LAYOUTS=desktop for a quick draft)", OUTPUT,
            metavar="'desktop phone'"),
    Setting("formats", "--formats", "FORMATS", (), words,
            "only files of these formats (empty: every format; FORMATS='png gif mp4 svg': no AVIF, for a quicker "
            "draft)", OUTPUT, metavar="'png avif'"),
    Setting("out", "--out-dir", "OUT", "output", str, "the output folder", OUTPUT),
    Setting("page", "--page", "PAGE", None, str, "a Markdown or HTML page with gd: markers (a relative path: from "
            "where the command is typed)", PAGE, from_cwd=True),
    Setting("site", "--site", "SITE", None, str, "a site file naming every page of a site and how it is served "
            "(README: Your site)", PAGE, from_cwd=True),
    Setting("assets", "--assets", "ASSETS", None, str,
            "the URL prefix the page's site serves the output folder under (default: the output folder, "
            "relative to the page)", PAGE),
    Setting("dry_run", "--dry-run", "DRY_RUN", False, flag, "make embed: show the diff, write nothing", ("embed",)),
    Setting("force", "--force", "FORCE", False, flag, "make embed: overwrite markers edited by hand", ("embed",)),
    Setting("port", "--port", "PORT", 8000, whole("port", 0, 65535),
            "where make serve listens on 127.0.0.1 (0: any free port)", ("serve",)),
    Setting("jobs", "--jobs", None, None, whole("job count", 1), "worker processes (default: one per core, at most 4)",
            ("build",)),
]


def row(name: str) -> Setting:
    return next(s for s in TABLE if s.name == name)


def affecting(problem: str) -> tuple[str, ...]:
    """The settings a problem's recorded runs depend on, besides the data."""
    return tuple(s.name for s in TABLE if problem in s.runs)


def _settings_class():
    """``Settings``: one frozen field a row, its default the row's."""
    def text(self, names) -> str:
        """``lr=0.1 steps=200 ...`` for the named settings, as their rows write them."""
        return " ".join(f"{name}={row(name).text(self)}" for name in names)

    namespace = {"recorded_rates": property(_recorded_rates), "text": text,
                 "__module__": __name__, "__doc__": "One build's settings, a field a row of the table (render/settings.py)."}
    return make_dataclass("Settings", [(s.name, object, field(default=s.default)) for s in TABLE], frozen=True,
                          namespace=namespace)


Settings = _settings_class()
DEFAULTS = Settings()


def of(args) -> Settings:
    """The settings an argparse namespace holds (those it does not take, their defaults)."""
    return Settings(**{s.name: getattr(args, s.name) for s in TABLE if hasattr(args, s.name)})
