"""Command line: ``python -m render build [NAME ...] | check | summary | history | scene NAME``.

Argument parsing and dispatch; the work is in render/build.py. Every problem a user can
fix (bad data, bad parameters, an unwritable folder, a full disk) ends as one line on
stderr and exit status 2, before any file in the output folder is touched.
"""
from __future__ import annotations

import argparse
import math
import os
import sys

import scenes
from render import build, problems
from render.errors import InputError
from render.palette import THEMES
from render.descent import MAX_STEPS
from render.settings import LR, RATES, STEPS, Settings

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "sample_standings.csv")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and exit 2 like every other input error."""

    def error(self, message):
        sys.stderr.write(f"error: {message} (see python -m render {self.prog.split()[-1]} --help)\n")
        sys.exit(2)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except InputError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    except OSError as e:  # a full disk, a read-only folder: say which file, no traceback
        where = e.filename or "output"
        sys.stderr.write(f"error: {where}: {e.strerror or e}\n")
        return 2


def _settings(args) -> Settings:
    return Settings(data=args.data, lr=args.lr, steps=args.steps, m0=args.m0, b0=args.b0,
                    rates=tuple(getattr(args, "rates", ())))  # the summary records lr alone


def cmd_build(args) -> int:
    kinds = [k for k, wanted in (("still", args.figures), ("animation", args.animations)) if wanted]
    stamp = (args.stamp, args.stamp_text) if args.stamp else None
    return build.build(_settings(args), args.out_dir, args.names, kinds, args.jobs, args.dry_run, stamp,
                       args.themes)


def cmd_check(args) -> int:
    return build.check(_settings(args), args.out_dir, args.themes)


def cmd_summary(args) -> int:
    return build.print_summary(_settings(args))


def cmd_history(args) -> int:
    return build.write_history(_settings(args), args.problem, args.out)


def cmd_scene(args) -> int:
    return build.render_file(args.name, args.data, args.history, args.lr, args.out)


def _positive_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"learning rate {text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"learning rate {text!r} must be a positive finite number")
    return value


def _rates(text: str) -> list[float]:
    return [_positive_rate(t) for t in text.replace(",", " ").split()]


def _whole(what: str, low: int, high: int | None = None):
    """An argparse type: a whole number from ``low`` (to ``high``), or one clear line."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a whole number") from None
        if value < low or high is not None and value > high:
            bound = f"between {low} and {high:,}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"{what} {value} must be {bound}")
        return value
    return parse


_steps = _whole("step count", 1, MAX_STEPS)
_jobs = _whole("job count", 1)


def _start(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"start value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"start value {text!r} must be finite")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m render", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True, parser_class=Parser)

    def run_options(p, rates=True):
        p.add_argument("--data", default=DEFAULT_DATA, help="standings CSV (default: the bundled 2023 season)")
        p.add_argument("--lr", type=_positive_rate, default=LR, help=f"learning rate (default {LR:g})")
        p.add_argument("--steps", type=_steps, default=STEPS, help=f"descent steps (default {STEPS})")
        p.add_argument("--m0", type=_start, default=0.0, help="starting slope (default 0)")
        p.add_argument("--b0", type=_start, default=0.0, help="starting intercept (default 0)")
        if rates:
            p.add_argument("--rates", type=_rates, default=list(RATES),
                           help=f"more learning rates to record (default '{' '.join(map(str, RATES))}')")

    def themes_option(p):
        p.add_argument("--themes", type=str.split, default=[], metavar="'light dark'",
                       help=f"only these themes (default: all of {', '.join(THEMES)})")

    p = sub.add_parser("build", help="build every stale asset (or those of NAME ...) in one process")
    p.add_argument("names", nargs="*", metavar="NAME", help=f"scenes to build (default: all of {', '.join(scenes.NAMES)})")
    run_options(p)
    p.add_argument("--out-dir", default="output", help="the output folder (default output)")
    p.add_argument("--figures", action="store_true", help="only the stills (PNG)")
    p.add_argument("--animations", action="store_true", help="only the animations (GIF, posters, MP4)")
    themes_option(p)
    p.add_argument("--jobs", type=_jobs, help="worker processes (default: one per core, at most 4)")
    p.add_argument("--dry-run", action="store_true", help="say what is stale and why; write nothing")
    p.add_argument("--stamp", help="after a build with no failure, write STAMP_TEXT to this file (Make's record)")
    p.add_argument("--stamp-text", default="", help="the text for --stamp")
    p.set_defaults(command=cmd_build)

    p = sub.add_parser("check", help="exit 1, naming them, if assets no longer match their inputs")
    run_options(p)
    p.add_argument("--out-dir", default="output", help="the output folder (default output)")
    themes_option(p)
    p.set_defaults(command=cmd_check)

    p = sub.add_parser("summary", help="print the tutorial's result block")
    run_options(p, rates=False)
    p.set_defaults(command=cmd_summary)

    p = sub.add_parser("history", help="run descent for each rate and write the history CSV")
    run_options(p)
    p.add_argument("--problem", choices=problems.NAMES, default="line",
                   help="line (the tutorial's), scaling (z-scores vs raw units) or two_features")
    p.add_argument("--out", required=True, help="where to write the history CSV")
    p.set_defaults(command=cmd_history)

    p = sub.add_parser("scene", help="render one scene from the data and a recorded history file")
    p.add_argument("name", help="scene name, e.g. gd_line")
    p.add_argument("--data", default=DEFAULT_DATA, help="standings CSV the history was made from")
    p.add_argument("--history", required=True, help="history CSV written by 'python -m render history'")
    p.add_argument("--lr", type=_positive_rate, default=LR, help=f"the run to show (default {LR:g})")
    p.add_argument("--out", required=True, help="output file (NAME.png or NAME.gif; NAME-dark.png, ... for the dark theme)")
    p.set_defaults(command=cmd_scene)
    return parser


if __name__ == "__main__":
    sys.exit(main())
