"""The per-asset baseline of `make bench`, not part of the product: one process per recorded
history and one per render, as the Makefile ran them before the one-process build.

    python bench/per_asset.py history PROBLEM OUT_DIR
    python bench/per_asset.py render SCENE KIND THEME LAYOUT OUT_DIR [TIMING.json]

``history`` records one problem's runs at the default settings into OUT_DIR; ``render``
reads them back from there and draws one render (a scene's still or animation in one
theme and layout) into its files, as the build does. With TIMING.json it also writes how many frames
it drew and how long the drawing and writing took, after the imports and the loading:
the peer comparison's measure (bench/peer.py).
"""
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from render.pipeline import registry  # noqa: E402
from render.atomic import write_atomic  # noqa: E402
from render.pipeline.registry import Render  # noqa: E402
from render.pipeline.render_one import render  # noqa: E402
from render.draw.frames import Credit  # noqa: E402
from render.engine import data, problems  # noqa: E402
from render.engine.history import from_csv, to_csv  # noqa: E402
from render.engine.lesson import Lesson  # noqa: E402
from render.settings import DEFAULTS  # noqa: E402


def season():
    return data.load(os.path.join(ROOT, DEFAULTS.data))


def history(problem: str, out_dir: str) -> None:
    runs = problems.runs(problem, season(), DEFAULTS)
    write_atomic(os.path.join(out_dir, problems.PROBLEMS[problem].file), to_csv(runs).encode())


def render_one(name: str, kind: str, theme: str, layout: str, out_dir: str, timing: str | None = None) -> None:
    scene = registry.get(name)
    with open(os.path.join(out_dir, problems.PROBLEMS[scene.problem].file), encoding="utf-8") as f:
        lesson = Lesson(season(), tuple(from_csv(f.read())), DEFAULTS.lr)
    started = time.perf_counter()
    made = render(Render(scene, kind, theme, layout), lesson, Credit.measure(lesson.data.credit), out_dir)
    seconds = time.perf_counter() - started
    if timing:
        frames = next(iter(made.values())).get("frames", 1)
        with open(timing, "w") as f:
            json.dump({"frames": frames, "render_s": seconds}, f)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"history": history, "render": render_one}[command](*args)
