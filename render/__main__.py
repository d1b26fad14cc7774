"""Command line: ``python -m render build [NAME ...] | check | summary | embed | values | serve``.

Argument parsing and dispatch only; the work is in render/build/run.py, every default in
render/settings.py. Every problem a user can fix (bad data, bad parameters, an unwritable
folder, a full disk) ends as one line on stderr and exit status 2, before any file in the
output folder is touched.
"""
from __future__ import annotations

import argparse
import math
import os
import sys

import scenes
from render import settings
from render.build import run
from render.draw.palette import THEMES
from render.engine.descent import MAX_STEPS
from render.errors import InputError, one_line
from render.settings import DEFAULTS, Settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and exit 2 like every other input error."""

    def error(self, message):
        sys.stderr.write(f"error: {message} (see python -m render {self.prog.split()[-1]} --help)\n")
        sys.exit(2)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except (InputError, OSError) as e:  # one line, no traceback
        sys.stderr.write(one_line(e) + "\n")
        return 2


def _settings(args) -> Settings:
    return Settings(data=args.data, lr=args.lr, steps=args.steps, m0=args.m0, b0=args.b0, rates=tuple(args.rates))


def cmd_build(args) -> int:
    kinds = [k for k, wanted in (("still", args.figures), ("animation", args.animations)) if wanted]
    return run.build(_settings(args), args.out_dir, args.names, kinds, args.jobs, args.dry_run, args.themes)


def cmd_check(args) -> int:
    return run.check(_settings(args), args.out_dir, args.themes, args.page, args.assets)


def cmd_embed(args) -> int:
    return run.embed(_settings(args), args.out_dir, args.page, args.assets, args.dry_run, args.themes)


def cmd_serve(args) -> int:
    from render.serve import loop  # watchfiles and the server: only for the preview

    return loop.serve(loop.Preview(args.data, args.lr, args.steps, args.m0, args.b0, tuple(args.rates),
                                   tuple(args.themes), args.out_dir, args.page, args.assets, args.port))


def cmd_values(args) -> int:
    return run.print_values(_settings(args))


def cmd_summary(args) -> int:
    return run.print_summary(Settings(data=args.data, lr=args.lr, steps=args.steps, m0=args.m0, b0=args.b0,
                                      rates=()))  # the result block records lr alone


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
_port = _whole("port", 0, 65535)


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

    def run_options(p):
        p.add_argument("--data", default=os.path.join(ROOT, DEFAULTS.data),
                       help=f"standings CSV (default: {DEFAULTS.data}, the bundled 2023 season)")
        p.add_argument("--lr", type=_positive_rate, default=DEFAULTS.lr, help=f"learning rate (default {DEFAULTS.lr:g})")
        p.add_argument("--steps", type=_steps, default=DEFAULTS.steps, help=f"descent steps (default {DEFAULTS.steps})")
        p.add_argument("--m0", type=_start, default=DEFAULTS.m0, help=f"starting slope (default {DEFAULTS.m0:g})")
        p.add_argument("--b0", type=_start, default=DEFAULTS.b0, help=f"starting intercept (default {DEFAULTS.b0:g})")
        p.add_argument("--rates", type=_rates, default=list(DEFAULTS.rates),
                       help=f"more learning rates to record (default '{' '.join(map(str, DEFAULTS.rates))}')")

    def output_options(p):
        p.add_argument("--out-dir", default=settings.OUT, help=f"the output folder (default {settings.OUT})")
        p.add_argument("--themes", type=str.split, default=list(settings.THEMES), metavar="'light dark'",
                       help=f"only these themes (default: all of {', '.join(THEMES)})")

    p = sub.add_parser("build", help="build every stale asset (or those of NAME ...) in one process")
    p.add_argument("names", nargs="*", metavar="NAME", help=f"scenes to build (default: all of {', '.join(scenes.NAMES)})")
    run_options(p)
    output_options(p)
    p.add_argument("--figures", action="store_true", help="only the stills (PNG)")
    p.add_argument("--animations", action="store_true", help="only the animations (GIF, posters, MP4)")
    p.add_argument("--jobs", type=_jobs, help="worker processes (default: one per core, at most 4)")
    p.add_argument("--dry-run", action="store_true", help="say what is stale and why; write nothing")
    p.set_defaults(command=cmd_build)

    def page_options(p, required):
        p.add_argument("--page", required=required, help="a Markdown or HTML page with gd: markers")
        p.add_argument("--assets", help="the URL prefix the page's site serves the output folder under "
                                        "(default: the output folder, relative to the page)")

    p = sub.add_parser("check", help="exit 1, naming them, if assets (or a page's markers) no longer match")
    run_options(p)
    output_options(p)
    page_options(p, required=False)
    p.set_defaults(command=cmd_check)

    p = sub.add_parser("embed", help="fill a page's gd:value and gd:figure markers from this build")
    run_options(p)
    output_options(p)
    page_options(p, required=True)
    p.add_argument("--dry-run", action="store_true", help="show the diff; write nothing")
    p.set_defaults(command=cmd_embed)

    p = sub.add_parser("serve", help="build, serve the output folder on 127.0.0.1, and rebuild on every save")
    run_options(p)
    output_options(p)
    page_options(p, required=False)
    p.add_argument("--port", type=_port, default=settings.PORT,
                   help=f"the port on 127.0.0.1 (default {settings.PORT}; 0: any free port)")
    p.set_defaults(command=cmd_serve)

    p = sub.add_parser("values", help="list every value a page can quote, with its meaning")
    run_options(p)
    p.set_defaults(command=cmd_values)

    p = sub.add_parser("summary", help="print the tutorial's result block (from the run at --lr; --rates is ignored)")
    run_options(p)
    p.set_defaults(command=cmd_summary)
    return parser


if __name__ == "__main__":
    sys.exit(main())
