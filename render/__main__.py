"""Command line: ``python -m render build [NAME ...] | check | summary | embed | values | serve``.

Argument parsing and dispatch only: each command's options are the rows of the settings
table (render/settings.py) that it takes; the work is in render/pipeline/run.py (build),
render/commands/ (check, embed, summary, values) and render/serve/ (serve). Every problem
a user can fix (bad data, bad parameters, an unwritable folder, a full disk) ends as one
line on stderr and exit status 2, before any file in the output folder is touched.
"""
from __future__ import annotations

import argparse
import sys

from render import settings
from render.commands import check, embed, summary, values
from render.errors import InputError, one_line
from render.outputs import LAYOUTS, THEMES
from render.pipeline import registry


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


def cmd_build(args) -> int:
    # The build draws: matplotlib and the encoders are imported for it alone, so that the
    # commands that only read (check, values, summary) start in a fraction of the time.
    from render.pipeline import run

    kinds = [k for k, wanted in (("still", args.figures), ("animation", args.animations)) if wanted]
    return run.build(settings.of(args), args.names, kinds)


def cmd_serve(args) -> int:
    from render.serve import loop  # watchfiles and the server: only for the preview

    return loop.serve(settings.of(args))


COMMANDS = {
    "build": ("build every stale asset (or those of NAME ...) in one process", cmd_build),
    "check": ("exit 1, naming them, if assets (or a page's markers) no longer match",
              lambda args: check.check(settings.of(args))),
    "embed": ("fill a page's gd:value and gd:figure markers from this build",
              lambda args: embed.embed(settings.of(args))),
    "serve": ("build, serve the output folder on 127.0.0.1, and rebuild on every save", cmd_serve),
    "values": ("list every value a page can quote, with its meaning", lambda args: values.print_values(settings.of(args))),
    "summary": ("print the tutorial's result block (from the run at --lr; --rates is ignored)",
                lambda args: summary.print_summary(settings.of(args))),
}


def _help(s: settings.Setting) -> str:
    default = s.default if not isinstance(s.default, tuple) else " ".join(map(str, s.default))
    if s.name == "themes":
        return f"{s.help}; themes: {', '.join(THEMES)}"
    if s.name == "layouts":
        return f"{s.help}; layouts: {', '.join(LAYOUTS)}"
    return f"{s.help} (default {default})" if default not in (None, "", False) else s.help


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m render", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True, parser_class=Parser)
    for command, (about, run) in COMMANDS.items():
        p = sub.add_parser(command, help=about)
        if command == "build":
            p.add_argument("names", nargs="*", metavar="NAME",
                           help=f"scenes to build (default: all of {', '.join(registry.NAMES)})")
        for s in settings.TABLE:
            if command not in s.commands:
                continue
            if s.parse is settings.flag:
                p.add_argument(s.option, dest=s.name, action="store_true", help=s.help)
            else:
                p.add_argument(s.option, dest=s.name, type=s.parse, default=s.cli_default, metavar=s.metavar,
                               help=_help(s))
        if command == "build":
            p.add_argument("--figures", action="store_true", help="only the stills")
            p.add_argument("--animations", action="store_true", help="only the animations (GIF, posters, video)")
            p.add_argument("--dry-run", action="store_true", help="say what is stale and why; write nothing")
        p.set_defaults(command=run)
    return parser


if __name__ == "__main__":
    sys.exit(main())
