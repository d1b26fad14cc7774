"""`python -m render build [NAME ...]`: every stale asset, from one process; and the
`check` and `summary` commands, which answer from the same plan.

The process imports once, loads the data once, records each history once and measures
the credit line once. It asks the plan (render/build/plan.py) what is stale; the stale
renders are shared among forked workers, slowest first, each worker taking the next when
it is free (which worker draws a render never changes its bytes); each render puts its
files in place together (render/atomic.py). Histories are written first and the manifest
and the page last (render/publish/site.py), so `make check` tells the truth after any
failure. One lock per output folder keeps two builds from writing at once.
"""
from __future__ import annotations

import fcntl
import functools
import os
import sys
from contextlib import contextmanager

from render.atomic import write_if_changed
from render.build import parallel
from render.build.plan import Plan
from render.build.progress import Progress
from render.build.render_one import Render, render
from render.engine import data as data_module
from render.engine import problems
from render.engine.lesson import Lesson
from render.errors import InputError, WriteError
from render.publish import manifest, site
from render.publish.page import PLAYER
from render.publish.summary import summary
from render.settings import Settings


def build(settings: Settings, out_dir: str, names=(), kinds=(), jobs: int | None = None,
          dry_run: bool = False, themes=()) -> int:
    """Make what is stale among the selected renders; return the exit status."""
    plan = Plan(settings, out_dir, names, kinds, themes)
    warn(plan.standings)
    check_output(out_dir)
    if dry_run:
        reasons = plan.reasons(manifest.load(out_dir))
        for r in plan.renders:
            for file in r.files:
                if file in reasons:
                    print(f"would make {os.path.join(out_dir, file)}: {reasons[file]}")
        return 0
    os.makedirs(out_dir, exist_ok=True)
    with locked(out_dir):
        return _build(plan, jobs)


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
        entries[file] = manifest.describe(output, plan.lesson(r.scene.problem), info,
                                          os.path.join(plan.out_dir, file), plan.inputs(r),
                                          plan.runs[r.scene.problem].problem.file)
    try:  # last: the manifest, then the page
        site.publish(plan.out_dir, entries, plan.standings, plan.settings.data, summary(plan.lesson("line")),
                     page_values(plan))
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
    lessons = {name: plan.lesson(name) for name, run in plan.runs.items() if run.error is None}
    if todo:  # matplotlib only when something is drawn: `make check` and a no-op stay quick
        credit = measured_credit(plan.standings.credit)  # before the workers fork

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
    from render.draw.frames import Credit

    return Credit.measure(text)


def check(settings: Settings, out_dir: str, themes=(), page: str | None = None, assets: str | None = None) -> int:
    """Exit status 1, naming them, when assets (of ``themes``; all if none), or the
    markers of ``page``, no longer match this build; else 0."""
    plan = Plan(settings, out_dir, themes=themes)
    status = _check_assets(plan, out_dir)
    return max(status, _check_page(plan, out_dir, page, assets)) if page else status


def _check_assets(plan: Plan, out_dir: str) -> int:
    """The assets' half of `make check`: every file and the player's script."""
    if not os.path.exists(os.path.join(out_dir, manifest.MANIFEST)):
        raise InputError(os.path.join(out_dir, manifest.MANIFEST), "no manifest: run 'make all' first")
    reasons = plan.reasons(manifest.load(out_dir))
    # The player's script is no drawing: it is current when it is the project's own.
    checked = list(plan.current()) + [PLAYER]
    player = site.player_stale(out_dir)
    if player:
        reasons[PLAYER] = player
    return _report([f"stale: {file}: {reasons[file]}" for file in checked if file in reasons],
                   f"{len(reasons)} of {len(checked)} files are stale: run 'make all'",
                   f"all {len(checked)} files match their data, code and settings")


def _report(stale: list[str], what_to_do: str, current: str) -> int:
    """`make check`'s answer: each stale thing on stdout and what to do on stderr (exit
    status 1), or one line saying all is current (0)."""
    for line in stale:
        print(line)
    if stale:
        print(what_to_do, file=sys.stderr)
        return 1
    print(current)
    return 0


def print_summary(settings: Settings) -> int:
    """`python -m render summary`: the tutorial's result block, from the run at lr."""
    standings = data_module.load(settings.data)
    warn(standings)
    print(summary(Lesson(standings, tuple(problems.runs("line", standings, settings)), settings.lr)))
    return 0


def warn(standings) -> None:
    for warning in standings.warnings:
        sys.stderr.write(f"warning: {warning}\n")


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


def page_values(plan: Plan) -> dict:
    """Every named value of this build (render/publish/values.py)."""
    from render.publish.values import values

    lessons = {name: plan.lesson(name) for name, run in plan.runs.items() if run.error is None}
    return values(lessons["line"], lessons.get("scaling"), lessons.get("two_features"))


def print_values(settings: Settings) -> int:
    """`make values`: every value a page can quote, with its meaning and its value now."""
    plan = Plan(settings, out_dir=".")  # every problem's runs; no output folder is read
    warn(plan.standings)
    table = page_values(plan)
    width = max(map(len, table))
    for value in table.values():
        print(f"{value.name:<{width}}  {value.text:<10}  {value.meaning}")
    return 0


def _filled(plan: Plan, document: dict, page: str, assets: str | None):
    """The page as read, as this build would fill it, and the markers that change."""
    from render.publish import embed as filling

    read = filling.read_page(page)
    filler = filling.Filler(page_values(plan), document, page, plan.out_dir, assets, filling.newline_of(read))
    new, changed = filling.fill(read, page, filler)
    return read, new, changed


def embed(settings: Settings, out_dir: str, page: str, assets: str | None = None, dry_run: bool = False,
          themes=()) -> int:
    """`make embed PAGE=...`: fill the page's markers from this build (render/publish/embed.py)."""
    from render.publish import embed as filling

    plan = Plan(settings, out_dir, themes=themes)
    warn(plan.standings)
    document = manifest.load(out_dir)
    stale = plan.reasons(document)
    if stale:  # the page's numbers and pictures must be of one build
        raise InputError(out_dir, f"{len(stale)} file(s) do not match these settings (first: "
                                  f"{next(iter(sorted(stale)))}): run 'make all' with them first")
    read, new, changed = _filled(plan, document, page, assets)
    if dry_run:
        sys.stdout.write(filling.diff(page, read, new))
        print(f"{page}: {len(changed)} marker(s) would change" if changed else f"{page}: up to date")
        return 0
    if new == read:
        print(f"{page}: up to date")
        return 0
    filling.replace_page(page, read, new)
    print(f"{page}: {len(changed)} marker(s) filled")
    return 0


def _check_page(plan: Plan, out_dir: str, page: str, assets: str | None) -> int:
    """The page half of `make check PAGE=...`: exit status 1, naming the page and each
    marker's line, when what the page holds is not what this build would embed."""
    _, _, changed = _filled(plan, manifest.load(out_dir), page, assets)
    return _report([f"stale: {page}, line {m.line}: gd:{m.kind} {m.name} does not match the build" for m, _ in changed],
                   f"{len(changed)} marker(s) in {page} are stale: run 'make embed PAGE={page}'",
                   f"all markers in {page} match the build")
