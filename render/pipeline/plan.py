"""Decides what is stale, and why: the settings' runs recorded, the hashes of every
render's inputs, and which files no longer match the manifest's record of them.

An asset's inputs are content hashes, as sphinx-gallery keeps them: the data's bytes (and
its credit line), the code it is drawn with, the settings of its recorded run, and that
run's history. A `touch` or a `git checkout` that changes no byte changes no hash.
Hashing is all it takes to decide (no rendering), so deciding takes well under a second;
the build acts on the answer and `make check` reports it.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from render.engine import data as data_module
from render.engine import problems
from render.engine.history import to_csv
from render.engine.lesson import Lesson
from render.errors import InputError
from render import outputs
from render.outputs import LAYOUTS, THEMES
from render.pipeline import registry
from render.pipeline.registry import Render
from render.publish.manifest import sha256, sha256_text
from render.publish.values import Value, values
from render.settings import Settings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: What no asset is drawn with: the publishing wing, the live preview, and the parts of
#: the build that decide, schedule and report (a change to them remakes nothing; the
#: manifest and the pages, which every build rewrites anyway, follow). Of the build, only
#: the drawing of one render (render_one.py) and the sharing of its frames (parallel.py)
#: count.
NOT_DRAWN_IN = ("render/publish/", "render/serve/", "render/commands/")
NOT_DRAWN_WITH = ("render/__main__.py", "render/makevars.py", "render/pipeline/plan.py", "render/pipeline/run.py",
                  "render/pipeline/progress.py")


def code_files(scene: str) -> list[str]:
    """The project files an asset of ``scene`` is drawn with, from the project root: the
    files of render/ but those above (NOT_DRAWN_WITH and the publishing wing), the
    scenes' shared pieces, the scene's own module, and the pinned versions of everything
    else."""
    ours = []
    for folder, dirs, names in os.walk(os.path.join(ROOT, "render")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        relative = os.path.relpath(folder, ROOT).replace(os.sep, "/")
        ours += [f"{relative}/{n}" for n in names if n.endswith((".py", ".mplstyle", ".js"))]
    return (sorted(f for f in ours if not f.startswith(NOT_DRAWN_IN) and f not in NOT_DRAWN_WITH)
            + ["scenes/__init__.py", "scenes/common.py", f"scenes/{scene}.py", "requirements.lock"])


def code_hash(files: list[str]) -> str:
    """One hash for a set of project files, by name and content, in sorted order."""
    return sha256_text("".join(f"{name}\0{sha256(os.path.join(ROOT, name))}\n" for name in sorted(set(files))))


def data_hash(path: str, credit: str) -> str:
    """The data as the assets show it: its bytes, and the credit line drawn on every one."""
    return sha256_text(f"{sha256(path)}\0{credit}")


def inputs(scene: str, data: str, history: str | None, params: str) -> dict[str, str | None]:
    """The hashes of everything an asset of ``scene`` is made from: ``data`` is data_hash,
    ``history`` the recorded runs as CSV text (None: they cannot be recorded), ``params``
    the settings those runs depend on."""
    return {
        "data": data,
        "history": None if history is None else sha256_text(history),
        "code": code_hash(code_files(scene)),
        "params": sha256_text(params),
    }


def stale(manifest: dict, folder: str, current: dict[str, dict]) -> dict[str, str]:
    """Why each asset of ``current`` no longer matches, by file name: never built, missing,
    edited by hand, or made from other inputs. Matching assets are not listed.

    ``current`` maps each asset's file name to the input hashes it would be made from now.
    """
    reasons = {}
    listed = {entry["file"]: entry for entry in manifest["assets"]}
    for name in sorted(current):
        entry = listed.get(name)
        path = os.path.join(folder, name)
        if entry is None:
            reasons[name] = "not in the manifest (never built?)"
        elif not os.path.exists(path):
            reasons[name] = "missing"
        elif sha256(path) != entry["sha256"]:
            reasons[name] = "the file changed since it was rendered"
        else:
            now = current[name]
            changed = [k for k in sorted(now) if now[k] is None or now[k] != entry["inputs"].get(k)]
            if changed:
                reasons[name] = f"{', '.join(changed)} changed since it was rendered"
    return reasons


@dataclass(frozen=True)
class Run:
    """A problem's recorded runs for this build, or why they cannot be recorded."""

    problem: problems.Problem
    histories: tuple | None
    csv: str | None
    error: InputError | None
    params: str


class Plan:
    """The data, the recorded runs and every selected render's inputs, for one set of
    settings: what a build would make, and why. The build acts on it; `make check`,
    `make embed`, `make values` and `make summary` answer from it (render/commands/)."""

    def __init__(self, settings: Settings, names=(), kinds=(), renders: bool = True):
        """The plan of the renders of ``names`` and ``kinds`` (all when empty); with
        ``renders`` false, of none: the line's runs alone (the result block)."""
        self.settings, self.out_dir = settings, settings.out
        self._inputs = {}
        self._every: dict[str, Run] | None = None
        self.renders = selected(names, kinds, settings.themes, settings.layouts, settings.formats) if renders else []
        self.standings = data_module.load(settings.data)
        self.data = data_hash(settings.data, self.standings.credit)
        wanted = {"line"} | {r.scene.problem for r in self.renders}  # the line: the result block
        self.runs = {name: record(name, self.standings, settings) for name in problems.NAMES if name in wanted}
        if self.runs["line"].error:  # every scene and the summary need it
            raise self.runs["line"].error

    def warn(self) -> None:
        """The data's warnings (a season with unplayed games), each once, on stderr."""
        for warning in self.standings.warnings:
            sys.stderr.write(f"warning: {warning}\n")

    def lesson(self, problem: str) -> Lesson:
        return Lesson(self.standings, self.runs[problem].histories, self.settings.lr)

    def lessons(self) -> dict[str, Lesson]:
        """Every problem's lesson whose runs could be recorded."""
        return {name: self.lesson(name) for name, run in self.runs.items() if run.error is None}

    def every_run(self) -> dict[str, Run]:
        """Every problem's runs, the selected renders' and the rest: a page's numbers do not
        depend on which scenes a build draws (`make animations` draws no scaling figure,
        but the tutorial still quotes its condition numbers). The others are recorded here,
        a few milliseconds each, and never written: ``runs`` is what the build writes."""
        if self._every is None:
            self._every = {name: self.runs.get(name) or record(name, self.standings, self.settings)
                           for name in problems.NAMES}
        return self._every

    def cannot_draw(self) -> dict[str, str]:
        """Why a scene cannot be drawn for this data (its runs could not be recorded), by
        scene name: what the tutorial page says in its place."""
        runs = self.every_run()
        return {scene.name: runs[scene.problem].error.message for scene in registry.SCENES
                if runs[scene.problem].error is not None}

    def values(self) -> dict[str, Value]:
        """Every named value of these settings (render/publish/values.py), whichever
        scenes are selected."""
        lessons = {name: Lesson(self.standings, run.histories, self.settings.lr)
                   for name, run in self.every_run().items() if run.error is None}
        return values(lessons["line"], lessons.get("scaling"), lessons.get("two_features"))

    def inputs(self, render: Render) -> dict:
        if render.scene.name not in self._inputs:  # hashing the code once per scene
            run = self.runs[render.scene.problem]
            self._inputs[render.scene.name] = inputs(render.scene.name, self.data, run.csv, run.params)
        return self._inputs[render.scene.name]

    def current(self) -> dict[str, dict]:
        """Every selected file and the inputs it would be made from now."""
        return {file: self.inputs(r) for r in self.renders for file in r.files}

    def reasons(self, manifest: dict) -> dict[str, str]:
        """Why each stale file is stale (see ``stale``), by name."""
        return stale(manifest, self.out_dir, self.current())


def selected(names=(), kinds=(), themes=(), layouts=(), formats=()) -> list[Render]:
    for name in names:
        if registry.get(name) is None:
            raise InputError(name, f"no such scene (scenes: {', '.join(registry.NAMES)})")
    for theme in themes:
        if theme not in THEMES:
            raise InputError(theme, f"no such theme (themes: {', '.join(THEMES)})")
    for layout in layouts:
        if layout not in LAYOUTS:
            raise InputError(layout, f"no such layout (layouts: {', '.join(LAYOUTS)})")
    for format in formats:
        if format not in outputs.formats():
            raise InputError(format, f"no such format (formats: {', '.join(outputs.formats())})")
    return registry.renders(themes, layouts, names, kinds, formats)


def record(name: str, standings, settings: Settings) -> Run:
    problem = problems.PROBLEMS[name]
    params = settings.text(problem.settings)
    try:
        histories = tuple(problems.runs(name, standings, settings))
    except InputError as e:  # the two features without RS: only its scenes fail
        return Run(problem, None, None, e, params)
    return Run(problem, histories, to_csv(list(histories)), None, params)
