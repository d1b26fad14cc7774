"""Shared fixtures: the bundled season, a second season made up for the tests, one full
build that the tests which only read assets share, a scratch copy of the project for
tests that edit code, and command-line runners. Agg is forced."""
from __future__ import annotations

import fcntl
import functools
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from render.pipeline import registry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "sample_standings.csv"
os.environ.setdefault("MPLBACKEND", "Agg")


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m render ARGS`` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "render", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


#: Nested makes build the light theme and the desktop layout only, unless a test asks for
#: all (THEMES= LAYOUTS= on its command line, as the shared ``built`` build does): the dark
#: theme is the same code with other colours and the phone layout the same runs in another
#: geometry, checked on that one build, and drawing them for every hostile setting,
#: interruption and edit would quadruple the suite's time.
TEST_THEMES = ("light",)
TEST_LAYOUTS = ("desktop",)
#: ... and no AVIF: a third of a still's encoding, checked on the shared build too.
TEST_FORMATS = ("png", "svg", "gif", "mp4")
#: The same, as the command line takes it.
TEST_VARIANT = ("--themes", "light", "--layouts", "desktop", "--formats", " ".join(TEST_FORMATS))


def clean_env() -> dict:
    """The environment for a nested make: none of the outer make's flags leak in."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    env["THEMES"] = " ".join(TEST_THEMES)
    env["LAYOUTS"] = " ".join(TEST_LAYOUTS)
    env["FORMATS"] = " ".join(TEST_FORMATS)
    return env


def run_make(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=clean_env())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder, hidden ones included, by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def other_season(path: Path, seed: int = 7, teams: int = 30) -> Path:
    """A made-up season in the same columns, with a different spread of wins and runs."""
    rng = np.random.default_rng(seed)
    rs = rng.integers(560, 960, teams)
    ra = rng.integers(560, 960, teams)
    wins = np.clip(np.round(81 + (rs - ra) / 9.0 + rng.normal(0, 6, teams)), 40, 120).astype(int)
    lines = ["Team,Lg,Div,W,L,RS,RA,RunDiff"]
    for i in range(teams):
        lines.append(f"Team {i:02d},AL,East,{wins[i]},{162 - wins[i]},{rs[i]},{ra[i]},{rs[i] - ra[i]}")
    path.write_text("\n".join(lines) + "\n")
    return path


def shared_root(config) -> Path:
    """The scratch folder every process of this test run shares: the run's own, or with
    pytest-xdist (``make test`` runs two workers) the controller's, which holds theirs."""
    root = config._tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def shared_jobs(root: Path) -> dict[str, list[str]]:
    """What the whole run shares, made once: the full build the asset tests read, another
    season's build, and the million-step run (test_bad_input.py). Each a command run in
    ROOT, its output and exit status kept in ``root``."""
    other = root / "other"
    other.mkdir(exist_ok=True)
    if not (other / "other.csv").exists():
        other_season(other / "other.csv")
    make = ["make", "--no-print-directory", "all"]
    return {"built": make + [f"OUT={root / 'built'}", "THEMES=", "LAYOUTS=", "FORMATS="],  # every variant and format
            "other": make + [f"OUT={other / 'out'}", f"DATA={other / 'other.csv'}"],
            "million": [sys.executable, "-c", PEAK, sys.executable, "-c", MILLION_STEPS, str(DATA)]}


#: Runs a job and then, atomically, records its exit status beside its output.
RECORD = 'name=$1; shift; "$@" > "$name.out" 2> "$name.err"; echo $? > "$name.rc.tmp"; mv "$name.rc.tmp" "$name.rc"'
_background: list[subprocess.Popen] = []


def pytest_sessionstart(session):
    """With pytest-xdist, its controller, which runs no test itself, starts the shared jobs
    at once: the workers run the tests that need none meanwhile (they come first, see
    pytest_collection_modifyitems) instead of one waiting for the other's build."""
    config = session.config
    if os.environ.get("PYTEST_XDIST_WORKER") or not getattr(config.option, "numprocesses", None):
        return
    root = shared_root(config)
    for name, command in shared_jobs(root).items():
        _background.append(subprocess.Popen(["sh", "-c", RECORD, "sh", str(root / name), *command], cwd=ROOT,
                                            env=clean_env(), start_new_session=True))
        (root / f"{name}.started").touch()


def pytest_sessionfinish(session):
    for job in _background:  # an interrupted run leaves no build behind
        if job.poll() is None:
            os.killpg(job.pid, 15)
            job.wait()


def pytest_collection_modifyitems(items):
    """Tests that need no shared build first (a stable sort: files keep their order)."""
    items.sort(key=lambda item: bool({"built", "out", "other_built"} & set(item.fixturenames)))


def shared_job(config, name: str) -> tuple[int, str, str]:
    """A shared job's (exit status, output, errors): waited for where the controller
    started it, else run here, once, under a lock."""
    root = shared_root(config)
    rc = root / f"{name}.rc"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / f"{name}.started").exists():
            (root / f"{name}.started").touch()
            subprocess.run(["sh", "-c", RECORD, "sh", str(root / name), *shared_jobs(root)[name]], cwd=ROOT,
                           env=clean_env(), timeout=900)
    deadline = time.monotonic() + 900
    while not rc.exists():
        assert time.monotonic() < deadline, f"{name} never finished"
        time.sleep(0.1)
    return (int(rc.read_text()), (root / f"{name}.out").read_text(), (root / f"{name}.err").read_text())


@pytest.fixture(scope="session")
def built(request) -> Path:
    """One full ``make all`` into a scratch output folder, shared by the tests that read assets."""
    status, _, errors = shared_job(request.config, "built")
    assert status == 0, errors
    return shared_root(request.config) / "built"


@pytest.fixture(scope="session")
def other_built(request) -> tuple[Path, Path]:
    """Another season (other_season), built once into its own folder, light theme only:
    (the season's CSV, the output folder). Tests read it; none may change it."""
    status, _, errors = shared_job(request.config, "other")
    assert status == 0, errors
    folder = shared_root(request.config) / "other"
    return folder / "other.csv", folder / "out"


def copy_project(folder: Path) -> Path:
    """The tracked files of the project in ``folder``, sharing this checkout's .venv."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).exists():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


@pytest.fixture
def project(tmp_path) -> Path:
    """A scratch copy of the project, for tests that edit or touch its files."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def out(built, tmp_path) -> Path:
    """A copy of the full build: the previous assets a test may change or must leave alone."""
    folder = tmp_path / "out"
    shutil.copytree(built, folder)
    return folder


@functools.cache
def credit(text: str):
    from render.draw.frames import Credit

    return Credit.measure(text)


def drawing(lesson, theme: str = "light", scale: int = 1):
    """The pen a build hands a scene (render/pipeline/render_one.py), as a context: inside it
    matplotlib has the project's style in ``theme``. ``with drawing(lesson) as pen:``"""
    from render.draw.frames import Pen
    from render.draw.palette import THEMES

    return Pen(THEMES[theme], credit(lesson.data.credit), scale).style()


MILLION_STEPS = """
import sys
import time
from render.engine import data, problems
from render.settings import Settings
season = sys.argv[1]
h = problems.runs("line", data.load(season), Settings(season, lr=0.5, steps=1_000_000, rates=()))
print(len(h), len(h[0].loss), h[0].m.shape[0], len(h[0].b))
"""
#: Runs a command and prints its peak RSS (KiB): a fresh process whose one child is it.
PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


@pytest.fixture(scope="session")
def million_steps_run(request) -> tuple[int, str, str]:
    """A million steps of descent, measured, in a process of its own (10 s on one core):
    (exit status, output, errors). Started with the run when it has two workers."""
    return shared_job(request.config, "million")
