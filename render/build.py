"""`python -m render build [NAME ...]`: every stale asset, from one process.

The process imports once, loads the data once and records each history once. It decides
what is stale from content hashes (render/manifest.py), so a file that was touched but
not changed rebuilds nothing. The stale renders are shared among forked workers, slowest
first, each worker taking the next when it is free (which worker draws a render never
changes its bytes); each render puts its files in place together (render/atomic.py). Histories
are written first and the manifest and the page last, so `make check` tells the truth
after any failure. One lock per output folder keeps two builds from writing at once.

`python -m render check` asks the same question and only reports the answer.
"""
from __future__ import annotations

import fcntl
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass

import scenes
from render import data as data_module
from render import manifest, parallel, problems
from render.atomic import write_atomic
from render.errors import InputError, WriteError
from render.history import to_csv
from render.lesson import Lesson
from render.palette import THEMES
from render.progress import Progress
from render.settings import Settings
from render.summary import summary


@dataclass(frozen=True)
class Run:
    """A problem's recorded runs for this build, or why they cannot be recorded."""

    problem: problems.Problem
    histories: tuple | None
    csv: str | None
    error: InputError | None
    params: str


@dataclass(frozen=True)
class Render:
    """One render: a scene's still or animation in one theme, and the files it writes."""

    scene: scenes.Scene
    kind: str
    theme: str

    @property
    def files(self) -> list[str]:
        return self.scene.files(self.kind, self.theme)


class Build:
    """The data, the recorded runs and every render's inputs, for one set of settings."""

    def __init__(self, settings: Settings, out_dir: str, names=(), kinds=(), themes=()):
        self.settings, self.out_dir = settings, out_dir
        self._inputs = {}
        self.renders = selected(names, kinds, themes)
        self.standings = data_module.load(settings.data)
        self.data = manifest.data_hash(settings.data, self.standings.credit)
        wanted = {"line"} | {r.scene.problem for r in self.renders}  # the line: the result block
        self.runs = {name: record(name, self.standings, settings) for name in problems.NAMES if name in wanted}
        if self.runs["line"].error:  # every scene and the summary need it
            raise self.runs["line"].error

    def lesson(self, problem: str) -> Lesson:
        return Lesson(self.standings, self.runs[problem].histories, self.settings.lr)

    def inputs(self, render: Render) -> dict:
        if render.scene.name not in self._inputs:  # hashing the code once per scene
            run = self.runs[render.scene.problem]
            self._inputs[render.scene.name] = manifest.inputs(render.scene.name, self.data, run.csv, run.params)
        return self._inputs[render.scene.name]

    def current(self) -> dict[str, dict]:
        """Every selected file and the inputs it would be made from now."""
        return {file: self.inputs(r) for r in self.renders for file in r.files}


def selected(names=(), kinds=(), themes=()) -> list[Render]:
    for name in names:
        if scenes.get(name) is None:
            raise InputError(name, f"no such scene (scenes: {', '.join(scenes.NAMES)})")
    for theme in themes:
        if theme not in THEMES:
            raise InputError(theme, f"no such theme (themes: {', '.join(THEMES)})")
    return [Render(scene, kind, theme) for scene, kind, theme in scenes.renders(themes or tuple(THEMES))
            if (not names or scene.name in names) and (not kinds or kind in kinds)]


def record(name: str, standings, settings: Settings) -> Run:
    problem = problems.PROBLEMS[name]
    params = settings.text(problem.settings)
    try:
        histories = tuple(problems.runs(name, standings, settings))
    except InputError as e:  # the two features without RS: only its scenes fail
        return Run(problem, None, None, e, params)
    return Run(problem, histories, to_csv(list(histories)), None, params)


def build(settings: Settings, out_dir: str, names=(), kinds=(), jobs: int | None = None,
          dry_run: bool = False, stamp: tuple[str, str] | None = None, themes=()) -> int:
    """Make what is stale among the selected renders; return the exit status."""
    plan = Build(settings, out_dir, names, kinds, themes)
    warn(plan.standings)
    check_output(out_dir)
    if dry_run:
        reasons = manifest.stale(manifest.load(out_dir), out_dir, plan.current())
        for r in plan.renders:
            for file in r.files:
                if file in reasons:
                    print(f"would make {os.path.join(out_dir, file)}: {reasons[file]}")
        return 0
    os.makedirs(out_dir, exist_ok=True)
    with locked(out_dir):
        return _build(plan, jobs, stamp)


def _build(plan: Build, jobs: int | None, stamp) -> int:
    for run in plan.runs.values():  # first: what every asset is drawn from
        if run.csv is not None:
            write_if_changed(os.path.join(plan.out_dir, run.problem.file), run.csv.encode())
    document = manifest.load(plan.out_dir)
    reasons = manifest.stale(document, plan.out_dir, plan.current())
    stale = [r for r in plan.renders if any(f in reasons for f in r.files)]
    # A run that cannot be recorded (the two features without RS) fails its renders, with
    # one line; the rest are built.
    blocked = [r for r in stale if plan.runs[r.scene.problem].error is not None]
    for message in dict.fromkeys(str(plan.runs[r.scene.problem].error) for r in blocked):
        sys.stderr.write(f"error: {message}\n")
    todo = [r for r in stale if r not in blocked]
    made, failed, full = _render_all(plan, todo, jobs)
    try:
        _publish(plan, document, made)  # last: the manifest, then the page
    except WriteError:
        if full is None:
            raise
        # Already said: the disk is full. The previous manifest stands, and `make check`
        # names what was made since as changed.
    unmade = sum(len(r.files) for r in blocked + todo if not all(f in made for f in r.files))
    up_to_date = sum(len(r.files) for r in plan.renders) - len(made) - unmade
    print(f"{len(made)} made, {up_to_date} up to date" + (f", {unmade} failed" if failed or blocked else ""))
    if failed or blocked:
        return 2
    if stamp:  # Make's record of what this build was asked for: only once all of it is made
        write_atomic(stamp[0], (stamp[1] + "\n").encode())
    return 0


def _render_all(plan: Build, todo: list[Render], jobs: int | None):
    """Draw the renders among forked workers, saying each file as it is made. Returns the
    files made (name -> (render, what it holds)), whether any render failed, and the write
    error that stopped the build, if one did."""
    made, failed, full = {}, False, None
    progress = Progress("build")
    # The slowest renders first, so that no worker is left with a long one at the end.
    todo = sorted(todo, key=lambda r: (r.kind != "animation", not getattr(r.scene.module, "WHOLE_FRAMES", False)))
    jobs = max(1, min(jobs or parallel.cores(), len(todo)))
    frame_workers = max(1, parallel.cores() // jobs)
    lessons = {name: plan.lesson(name) for name, run in plan.runs.items() if run.error is None}
    results = parallel.as_done(todo, lambda r: _render(r, lessons[r.scene.problem], plan.out_dir, frame_workers),
                               jobs)
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
            made.update((os.path.basename(path), (todo[i], info)) for path, info in result.items())
            for path in result:
                progress.say(f"made {path}")
        progress.update(done, f"of {len(todo)} renders done")
    progress.close()
    return made, failed, full


def _publish(plan: Build, document: dict, made: dict) -> None:
    """The manifest (the previous entries, and one for each file made) and the page."""
    from render.page import PLAYER, page, player_script

    entries = {e["file"]: e for e in document["assets"]}
    for file, (r, info) in made.items():
        entries[file] = describe(plan, r, file, info)
    order = {file: i for i, file in enumerate(scenes.all_files())}
    document = {"assets": sorted(entries.values(), key=lambda e: order.get(e["file"], len(order))),
                "credit": plan.standings.credit, "data": os.path.basename(plan.settings.data),
                "summary": summary(plan.lesson("line"))}
    write_if_changed(os.path.join(plan.out_dir, manifest.MANIFEST), manifest.dumps(document))
    write_if_changed(os.path.join(plan.out_dir, PLAYER), player_script())
    write_if_changed(os.path.join(plan.out_dir, "index.html"), page(document, plan.standings).encode())


def _render(r: Render, lesson: Lesson, out_dir: str, frame_workers: int):
    """Draw one render into its files; a problem with the input comes back as its error."""
    try:
        return render(r.scene, r.kind, lesson, out_dir, frame_workers, r.theme)
    except InputError as e:
        return e


def render(scene: scenes.Scene, kind: str, lesson: Lesson, out_dir: str, frame_workers: int = 1,
           theme: str = scenes.DEFAULT_THEME) -> dict:
    """Draw ``kind`` of ``scene`` in ``theme`` and write its files into ``out_dir``;
    returns what each file holds (render.writer)."""
    from render import writer
    from render.frames import style

    draw = getattr(scene.module, kind)
    path = {role: os.path.join(out_dir, f) for role, f in scene.roles(kind, theme).items()}
    if kind == "still":
        with style(THEMES[theme]):
            shots = list(draw(lesson))
            sharp = shots[-1].svg() if path["crisp"].endswith(scenes.SVG) else shots[-1].frame_at(2)
            return writer.write_still(path["still"], [shot.frame() for shot in shots], crisp=(path["crisp"], sharp))
    # Drawn once, at twice the pixels: the player's video and the sharp poster take the
    # frames as drawn, the GIF and the first poster each frame halved (render.writer).
    # A scene that redraws whole frames (a turning camera) shares them among workers;
    # a blitting scene draws a frame in milliseconds, less than a worker's set-up.
    workers = frame_workers if getattr(scene.module, "WHOLE_FRAMES", False) else 1

    def shots():
        with style(THEMES[theme], scale=writer.VIDEO_SCALE):
            yield from draw(lesson)

    frames = parallel.in_order(shots, lambda shot: shot.frame(), workers)
    return writer.write_animation(frames, gif=path["animation"], poster=path["poster"],
                                  sharp_poster=path["crisp poster"], mp4=path["video"], drawn_at=writer.VIDEO_SCALE)


def describe(plan: Build, r: Render, file: str, info: dict) -> dict:
    """The manifest's entry for a file just made."""
    lesson = plan.lesson(r.scene.problem)
    alt, caption = r.scene.module.words(lesson, r.kind)
    kind = {f: role for role, f in r.scene.roles(r.kind, r.theme).items()}[file]
    if kind == "poster":
        alt = f"Last frame of the animation. {caption}"
    path = os.path.join(plan.out_dir, file)
    return dict(info, scene=r.scene.name, file=file, kind=kind, theme=r.theme, alt=alt, caption=caption,
                credit=plan.standings.credit, inputs=plan.inputs(r), history=plan.runs[r.scene.problem].problem.file,
                bytes=os.path.getsize(path), sha256=manifest.sha256(path))


def check(settings: Settings, out_dir: str, themes=()) -> int:
    """Exit status 1, naming them, when assets (of ``themes``; all if none) no longer
    match their inputs; else 0."""
    plan = Build(settings, out_dir, themes=themes)
    if not os.path.exists(os.path.join(out_dir, manifest.MANIFEST)):
        raise InputError(os.path.join(out_dir, manifest.MANIFEST), "no manifest: run 'make all' first")
    current = plan.current()
    reasons = manifest.stale(manifest.load(out_dir), out_dir, current)
    # The player's script is no drawing: it is current when it is the project's own.
    from render.page import PLAYER, player_script

    checked = list(current) + [PLAYER]
    try:
        with open(os.path.join(out_dir, PLAYER), "rb") as f:
            if f.read() != player_script():
                reasons[PLAYER] = "differs from render/player.js"
    except OSError:
        reasons[PLAYER] = "missing"
    for file in checked:
        if file in reasons:
            print(f"stale: {file}: {reasons[file]}")
    if reasons:
        print(f"{len(reasons)} of {len(checked)} files are stale: run 'make all'", file=sys.stderr)
        return 1
    print(f"all {len(checked)} files match their data, code and settings")
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


def write_if_changed(path: str, data: bytes) -> None:
    """Write atomically, unless the file already holds exactly these bytes: an unchanged
    file keeps its time, so Make sees nothing new."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    write_atomic(path, data)


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


def write_history(settings: Settings, problem: str, out: str) -> int:
    """`python -m render history`: one problem's recorded runs, into ``out``."""
    standings = data_module.load(settings.data)
    if problem == "line":
        warn(standings)
    histories = problems.runs(problem, standings, settings)
    _output_file(out)
    write_atomic(out, to_csv(histories).encode())
    return 0


def render_file(name: str, data_path: str, history_path: str, lr: float, out: str) -> int:
    """`python -m render scene NAME --out FILE`: one render from a recorded history file,
    into FILE's folder (an animation's poster and video beside it)."""
    from render.history import from_csv

    scene = scenes.get(name)
    if scene is None:
        raise InputError(name, f"no such scene (scenes: {', '.join(scenes.NAMES)})")
    standings = data_module.load(data_path)
    try:
        with open(history_path, encoding="utf-8") as f:
            histories = tuple(from_csv(f.read()))
    except OSError as e:
        raise InputError(history_path, f"cannot read the recorded history: {e.strerror}") from None
    except (ValueError, IndexError, UnicodeDecodeError):
        raise InputError(history_path, "is not a history written by 'python -m render history'") from None
    kind, theme = next(((k, t) for k in scene.kinds for t in THEMES if scene.files(k, t)[0] == os.path.basename(out)),
                       (None, None))
    if kind is None:
        made = ", ".join(scene.files(k, t)[0] for k in scene.kinds for t in THEMES)
        raise InputError(out, f"scene {name} makes {made}")
    problem = problems.PROBLEMS[scene.problem]
    if any(h.m.shape[1] != problem.weights for h in histories):
        raise InputError(history_path, f"is not a history of the {problem.name} problem that scene {name} draws")
    if "lr" in problem.settings and lr not in {h.lr for h in histories}:
        raise InputError(history_path, f"has no run with lr {lr:g}; rebuild it with that rate")
    folder = _output_file(out)
    render(scene, kind, Lesson(standings, histories, lr), folder, parallel.cores(), theme)
    return 0


def _output_file(path: str) -> str:
    """Make ready to write the file ``path``; returns its folder (created if need be)."""
    folder = os.path.dirname(os.path.abspath(path))
    check_output(folder)
    os.makedirs(folder, exist_ok=True)
    if os.path.isdir(path):
        raise InputError(path, "is a folder; expected a file name")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise InputError(path, "is not writable")
    return folder
