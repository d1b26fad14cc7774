"""`python -m render build [NAME ...]`: every stale asset, from one process.

The process imports once, loads the data once, records each history once and measures
the credit line once. It asks the plan (render/pipeline/plan.py) what is stale; the stale
renders are shared among forked workers, slowest first, each worker taking the next when
it is free (which worker draws a render never changes its bytes); each render puts its
files in place together (render/atomic.py). Histories are written first and the manifest
and the pages last (render/publish/site.py), so `make check` tells the truth after any
failure. One lock per output folder keeps two builds from writing at once.
"""
from __future__ import annotations

import fcntl
import functools
import os
import sys
from contextlib import contextmanager

from render.atomic import write_if_changed
from render.draw.frames import Credit
from render.errors import InputError, WriteError
from render.pipeline import parallel, registry
from render.pipeline.plan import Plan
from render.pipeline.progress import Progress
from render.pipeline.registry import Render
from render.pipeline.render_one import render
from render.publish import manifest, site
from render.publish.summary import summary
from render.settings import Settings


def build(settings: Settings, names=(), kinds=()) -> int:
    """Make what is stale among the selected renders; return the exit status."""
    plan = Plan(settings, names, kinds)
    plan.warn()
    out_dir = settings.out
    check_output(out_dir)
    if settings.dry_run:
        reasons = plan.reasons(manifest.load(out_dir))
        for r in plan.renders:
            for file in r.files:
                if file in reasons:
                    print(f"would make {os.path.join(out_dir, file)}: {reasons[file]}")
        return 0
    os.makedirs(out_dir, exist_ok=True)
    with locked(out_dir):
        return _build(plan, settings.jobs)


def _build(plan: Plan, jobs: int | None) -> int:
    for run in plan.runs.values():  # first: what every asset is drawn from
        if run.csv is not None:
            write_if_changed(os.path.join(plan.out_dir, run.problem.file), run.csv.encode())
    document = manifest.load(plan.out_dir)
    reasons = plan.reasons(document)
    stale = [r for r in plan.renders if any(f in reasons for f in r.files)]
    # A run that cannot be recorded (the two features without RS) fails its renders, with
    # one line; the rest are built.
    blocked = [r for r in stale if plan.runs[r.scene.problem].error is not None]
    for message in dict.fromkeys(str(plan.runs[r.scene.problem].error) for r in blocked):
        sys.stderr.write(f"error: {message}\n")
    todo = [r for r in stale if r not in blocked]
    made, failed, full = _render_all(plan, todo, jobs)
    entries = {e["file"]: e for e in document["assets"]}
    for file, (r, output, info) in made.items():
        words = registry.module(r.scene).words(plan.lesson(r.scene.problem), r.kind)
        entries[file] = manifest.describe(output, words, plan.standings.credit, info,
                                          os.path.join(plan.out_dir, file), plan.inputs(r),
                                          plan.runs[r.scene.problem].problem.file)
    scenes = {scene.name: list(scene.kinds) for scene in registry.SCENES}
    document = manifest.document(entries, registry.files(), scenes, plan.standings.credit, plan.settings.data,
                                 summary(plan.lesson("line")))
    try:  # last: the manifest, then the pages
        site.publish(plan.out_dir, document, plan.standings, plan.values(), plan.cannot_draw())
    except WriteError:
        if full is None:
            raise
        # Already said: the disk is full. The previous manifest stands, and `make check`
        # names what was made since as changed.
    unmade = sum(len(r.files) for r in blocked + todo if not all(f in made for f in r.files))
    up_to_date = sum(len(r.files) for r in plan.renders) - len(made) - unmade
    print(f"{len(made)} made, {up_to_date} up to date" + (f", {unmade} failed" if failed or blocked else ""))
    return 2 if failed or blocked else 0


def _render_all(plan: Plan, todo: list[Render], jobs: int | None):
    """Draw the renders among forked workers, saying each file as it is made. Returns the
    files made (name -> (render, its output, what it holds)), whether any render failed,
    and the write error that stopped the build, if one did."""
    made, failed, full = {}, False, None
    progress = Progress("build")
    # The slowest renders first, so that no worker is left with a long one at the end.
    todo = sorted(todo, key=lambda r: (r.kind != "animation", not r.whole_frames))
    jobs = max(1, min(jobs or parallel.cores(), len(todo)))
    frame_workers = max(1, parallel.cores() // jobs)
    lessons = plan.lessons()
    if todo:  # measured before the workers fork, and only when something is drawn
        credit = measured_credit(plan.standings.credit)

    def work(r: Render):
        try:  # a problem with the input comes back as its error, with one line
            return render(r, lessons[r.scene.problem], credit, plan.out_dir, frame_workers)
        except InputError as e:
            return e

    results = parallel.as_done(todo, work, jobs)
    for done, (i, result) in enumerate(results, 1):
        if isinstance(result, InputError):
            failed = True
            progress.say(f"error: {result}", sys.stderr)
            if isinstance(result, WriteError):
                # A full disk will not empty itself: stop here, with one line. What was
                # made is in place, whole, and goes into the manifest if that still fits.
                full = result
                results.close()
                break
        else:
            outputs = {o.file: o for o in todo[i].outputs}
            for path, info in result.items():
                made[os.path.basename(path)] = (todo[i], outputs[os.path.basename(path)], info)
                progress.say(f"made {path}")
        progress.update(done, f"of {len(todo)} renders done")
    progress.close()
    return made, failed, full


@functools.lru_cache(maxsize=4)
def measured_credit(text: str):
    """The credit line measured (render/draw/frames.py), once per process and line: a
    build measures it once, and `make serve`'s rebuilds, in one process, reuse it until
    the drawing code is imported anew."""
    return Credit.measure(text)


@contextmanager
def locked(out_dir: str):
    """Hold the output folder's lock: a second build into it waits, saying so once."""
    fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.stderr.write(f"waiting for another build into {out_dir} to finish\n")
            sys.stderr.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def check_output(path: str) -> None:
    """The output folder must be a folder we can write in (it may not exist yet)."""
    folder = os.path.abspath(path)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise InputError(path, "the output folder is a file")
    existing = folder
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise InputError(existing, "the output folder is a file")
    if not os.access(existing, os.W_OK):
        raise InputError(path if existing == folder else existing, "the output folder is not writable")

