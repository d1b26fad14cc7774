"""Command line: ``python -m render summary | history | scene NAME | manifest | check | page``.

Every problem a user can fix (bad data, bad parameters, an unwritable folder) ends as one
line on stderr and exit status 2, before any file in the output folder is touched.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time

from render import data as data_module
from render import descent, problems
from render.errors import InputError
from render.history import from_csv, to_csv
from render.atomic import write_atomic
from render.lesson import Lesson

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
        sys.stderr.write(f"error: {where}: cannot write: {e.strerror or e}\n")
        return 2


def cmd_summary(args) -> int:
    from render.summary import summary

    lesson = _lesson(args, rates=[args.lr])
    _warn(lesson.data)
    print(summary(lesson))
    return 0


def cmd_history(args) -> int:
    standings = data_module.load(args.data)
    if args.problem == "line":
        _warn(standings)  # once per build: the other histories and scenes read the same file
    # Every rate is recorded for both fits, so each rate keeps one colour in every scene.
    rates = set(args.rates) | {args.lr}
    histories = problems.runs(args.problem, standings, rates, args.steps, args.m0, args.b0)
    _check_output(args.out)
    write_atomic(args.out, to_csv(histories).encode())
    if args.stamp:
        # Make's record of the settings this history was made with: written last, so it
        # names a history that exists.
        write_atomic(args.stamp, (args.stamp_text + "\n").encode())
    return 0


def cmd_scene(args) -> int:
    import scenes

    module = scenes.get(args.name)
    if module is None:
        raise InputError(args.name, f"no such scene (scenes: {', '.join(scenes.NAMES)})")
    standings = data_module.load(args.data)
    try:
        with open(args.history, encoding="utf-8") as f:
            histories = tuple(from_csv(f.read()))
    except OSError as e:
        raise InputError(args.history, f"cannot read the recorded history: {e.strerror}") from None
    except (ValueError, IndexError, UnicodeDecodeError):
        raise InputError(args.history, "is not a history written by 'python -m render history'") from None
    kind = {suffix: kind for kind, suffix in scenes.SUFFIXES.items()}.get(os.path.splitext(args.out)[1].lower())
    draw = getattr(module, kind, None) if kind else None
    if draw is None:
        made = ", ".join(f"{args.name}{s}" for k, s in scenes.SUFFIXES.items() if hasattr(module, k))
        raise InputError(args.out, f"scene {args.name} makes {made}")
    problem = scenes.problem(args.name)
    weights = {"line": 1, "scaling": 1, "two_features": 2}[problem]
    if any(h.m.shape[1] != weights for h in histories):
        raise InputError(args.history, f"is not a history of the {problem} problem that scene {args.name} draws")
    if problem in ("line", "two_features") and args.lr not in {h.lr for h in histories}:
        raise InputError(args.history, f"has no run with lr {args.lr:g}; rebuild it with that rate")
    _check_output(args.out)
    from render import parallel, writer
    from render.frames import style
    from render.progress import Progress

    lesson = Lesson(standings, histories, args.lr)
    started = time.perf_counter()
    progress = Progress(os.path.basename(args.out))
    with style():
        if kind == "still":
            writer.write(args.out, draw(lesson))
            count = 1
        else:
            # Beside every animation: its last frame as a poster (reduced motion, print) and
            # the same frames as a video, for pages that would rather embed one; all three
            # from one pass over the frames.
            folder = os.path.dirname(args.out)
            poster, video = scenes.companions(os.path.basename(args.out))
            extra = {} if args.gif_only else dict(poster=os.path.join(folder, poster), mp4=os.path.join(folder, video))
            # Scenes that redraw whole frames (a turning camera) share them between workers;
            # a blitting scene draws a frame in milliseconds, less than a worker's set-up.
            workers = parallel.workers() if getattr(module, "WHOLE_FRAMES", False) else 1
            count = writer.write_animation(parallel.in_order(lambda: draw(lesson), workers), gif=args.out,
                                           on_frame=progress.update, **extra)
    _timing(started, count)  # for make bench: the render alone, without start-up
    progress.close()
    return 0


def cmd_manifest(args) -> int:
    import scenes
    from render import manifest
    from render.summary import summary

    standings = data_module.load(args.data)
    params = _params(args.params)
    assets = []
    for output in scenes.outputs():
        name, suffix = os.path.splitext(output)
        module = scenes.get(name)
        history_file = problems.FILES[scenes.problem(name)]
        history = os.path.join(args.out_dir, history_file)
        with open(history, encoding="utf-8") as f:
            lesson = Lesson(standings, tuple(from_csv(f.read())), args.lr)
        kind = "still" if suffix == ".png" else "animation"
        alt, caption = module.words(lesson, kind)
        made_from = manifest.inputs(name, args.data, history, args.code.split(), params[history_file])
        common = dict(scene=name, credit=standings.credit, inputs=made_from, history=history_file)
        assets.append(_describe(args.out_dir, output, kind, alt, caption, common))
        if kind == "animation":
            poster, video = scenes.companions(output)
            assets.append(_describe(args.out_dir, poster, "poster",
                                    f"Last frame of the animation. {caption}", caption, common))
            assets.append(_describe(args.out_dir, video, "video", alt, caption, common))
    with open(os.path.join(args.out_dir, problems.FILES["line"]), encoding="utf-8") as f:
        line = Lesson(standings, tuple(from_csv(f.read())), args.lr)
    document = {"assets": assets, "credit": standings.credit, "data": os.path.basename(args.data),
                "summary": summary(line)}
    write_atomic(args.out, manifest.dumps(document))
    return 0


def _describe(folder, file, kind, alt, caption, common) -> dict:
    from render import manifest
    from render.media import probe

    path = os.path.join(folder, file)
    entry = dict(common, file=file, kind=kind, alt=alt, caption=caption, bytes=os.path.getsize(path),
                 sha256=manifest.sha256(path))
    entry.update(probe(path))
    return entry


def cmd_check(args) -> int:
    import json

    import scenes
    from render import manifest

    path = os.path.join(args.out_dir, manifest.MANIFEST)
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except OSError:
        raise InputError(path, "no manifest: run 'make all' first") from None
    except ValueError:
        raise InputError(path, "is not valid JSON: run 'make all' to write it again") from None
    params = _params(args.params)
    recorded = {e["file"]: e.get("history", problems.FILES["line"]) for e in document["assets"]}
    current = {}
    for output in scenes.outputs():
        name = os.path.splitext(output)[0]
        made = [output] + scenes.companions(output)
        history_file = recorded.get(output, problems.FILES["line"])
        history = os.path.join(args.out_dir, history_file)
        if not os.path.exists(history):
            for file in made:
                current[file] = {"history": "missing"}
            continue
        now = manifest.inputs(name, args.data, history, args.code.split(), params[history_file])
        for file in made:
            current[file] = now
    lines = manifest.stale(document, args.out_dir, current)
    for line in lines:
        print(f"stale: {line}")
    if lines:
        print(f"{len(lines)} of {len(current)} assets are stale: run 'make all'", file=sys.stderr)
        return 1
    print(f"all {len(current)} assets match their data, code and settings")
    return 0


def cmd_page(args) -> int:
    import json

    from render.page import page

    with open(args.manifest, encoding="utf-8") as f:
        document = json.load(f)
    standings = data_module.load(args.data)
    write_atomic(args.out, page(document, standings).encode())
    return 0


def _timing(started: float, frames: int) -> None:
    path = os.environ.get("RENDER_TIMING")
    if path:
        with open(path, "w") as f:
            f.write(f'{{"frames": {frames}, "render_s": {time.perf_counter() - started}}}\n')


def _warn(standings) -> None:
    for warning in standings.warnings:
        sys.stderr.write(f"warning: {warning}\n")


def _params(pairs) -> dict[str, str]:
    """``history.csv=data=... lr=...`` pairs from Make: each history's settings."""
    return dict(pair.split("=", 1) for pair in pairs)


def _lesson(args, rates) -> Lesson:
    standings = data_module.load(args.data)
    histories = tuple(problems.runs("line", standings, rates, args.steps, args.m0, args.b0))
    return Lesson(standings, histories, args.lr)


def _check_output(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise InputError(folder, "the output folder is a file")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise InputError(folder, f"cannot create the output folder: {e.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise InputError(folder, "the output folder is not writable")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise InputError(path, "is not writable")
    if os.path.isdir(path):
        raise InputError(path, "is a folder; expected a file name")


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


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"step count {text!r} is not a whole number") from None
    if not 1 <= value <= descent.MAX_STEPS:
        raise argparse.ArgumentTypeError(f"step count {value} must be between 1 and {descent.MAX_STEPS:,}")
    return value


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
        p.add_argument("--data", default=DEFAULT_DATA, help="standings CSV (default: the bundled 2023 season)")
        p.add_argument("--lr", type=_positive_rate, default=descent.LR, help="learning rate (default 0.1)")
        p.add_argument("--steps", type=_steps, default=descent.STEPS, help="descent steps (default 200)")
        p.add_argument("--m0", type=_start, default=0.0, help="starting slope (default 0)")
        p.add_argument("--b0", type=_start, default=0.0, help="starting intercept (default 0)")

    p = sub.add_parser("summary", help="print the tutorial's result block")
    run_options(p)
    p.set_defaults(command=cmd_summary)

    p = sub.add_parser("history", help="run descent for each rate and write the history CSV")
    run_options(p)
    p.add_argument("--problem", choices=problems.NAMES, default="line",
                   help="line (the tutorial's), scaling (z-scores vs raw units) or two_features")
    p.add_argument("--rates", type=_rates, default=[], help="more learning rates to record, e.g. '0.001 0.1 1.5'")
    p.add_argument("--out", required=True, help="where to write the history CSV")
    p.add_argument("--stamp", help="after the history, write STAMP_TEXT to this file (Make's settings record)")
    p.add_argument("--stamp-text", default="", help="the text for --stamp")
    p.set_defaults(command=cmd_history)

    p = sub.add_parser("scene", help="render one scene from the data and the recorded history")
    p.add_argument("name", help="scene name, e.g. gd_line")
    p.add_argument("--data", default=DEFAULT_DATA, help="standings CSV the history was made from")
    p.add_argument("--history", required=True, help="history CSV written by 'python -m render history'")
    p.add_argument("--lr", type=_positive_rate, default=descent.LR, help="the run to show (default 0.1)")
    p.add_argument("--out", required=True, help="output file (.png or .gif)")
    p.add_argument("--gif-only", action="store_true", help="skip an animation's poster and MP4 (make bench)")
    p.set_defaults(command=cmd_scene)
    def publish_options(p):
        p.add_argument("--data", default=DEFAULT_DATA, help="standings CSV the assets are made from")
        p.add_argument("--out-dir", required=True, help="the output folder")
        p.add_argument("--lr", type=_positive_rate, default=descent.LR, help="the single-run scenes' rate")
        p.add_argument("--code", required=True, help="source files every asset depends on (space-separated)")
        p.add_argument("--params", action="append", default=[], help="HISTORY_FILE=SETTINGS, one per history")

    p = sub.add_parser("manifest", help="write manifest.json: every asset, its words and its inputs' hashes")
    publish_options(p)
    p.add_argument("--out", required=True, help="where to write the manifest")
    p.set_defaults(command=cmd_manifest)

    p = sub.add_parser("check", help="exit 1, naming them, if assets no longer match their inputs")
    publish_options(p)
    p.set_defaults(command=cmd_check)

    p = sub.add_parser("page", help="write the embed page from the manifest")
    p.add_argument("--manifest", required=True)
    p.add_argument("--data", default=DEFAULT_DATA, help="standings CSV, for the data table")
    p.add_argument("--out", required=True)
    p.set_defaults(command=cmd_page)
    return parser


if __name__ == "__main__":
    sys.exit(main())
