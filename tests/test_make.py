"""Make: exactly the right targets rebuild, a no-op build runs no Python, -j2 gives the
same bytes, and the dependency lists cover the code each command really imports."""
import re
import subprocess
import sys

import pytest

import scenes
from render import problems
from tests.conftest import ROOT, run_make, snapshot

MAKEFILE = (ROOT / "Makefile").read_text()


def make_list(name):
    """A Makefile variable's words, with $(ENGINE_CODE) expanded where it is used."""
    match = re.search(rf"^{name}\s*:=\s*((?:.*\\\n)*.*)$", MAKEFILE, re.M)
    words = match.group(1).replace("\\\n", " ").split()
    return [w for word in words for w in (make_list("ENGINE_CODE") if word == "$(ENGINE_CODE)" else [word])]


def would_run(out, *args):
    """The commands ``make all`` would run now, without running them."""
    result = run_make("-n", "all", f"OUT={out}", *args)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.replace("\\\n", " ").splitlines() if "-m render" in line]


PUBLISHED = ["index.html", "manifest.json"]  # remade after any asset


def targets(commands):
    """The files the commands write, less the manifest and page, which every change remakes."""
    made = sorted(re.search(r"--out (\S+)", c).group(1).rsplit("/", 1)[-1] for c in commands)
    if made:
        assert set(PUBLISHED) <= set(made), made
    return [m for m in made if m not in PUBLISHED]


def test_scene_lists_match_the_registry():
    assert tuple(make_list("FIGURES")) == scenes.FIGURES
    assert tuple(make_list("ANIMATIONS")) == scenes.ANIMATIONS
    for name in scenes.NAMES:
        module = scenes.get(name)
        assert hasattr(module, "still") == (name in scenes.FIGURES)
        assert hasattr(module, "animation") == (name in scenes.ANIMATIONS)
        problem = scenes.problem(name)
        declared = re.search(rf"^HISTORY_{name}\s*:=\s*(\S+)", MAKEFILE, re.M)
        assert (declared.group(1) if declared else "history.csv") == problems.FILES[problem]


def test_a_second_make_all_runs_no_python(built):
    assert run_make("-q", "all", f"OUT={built}").returncode == 0
    assert would_run(built) == []


ASSETS = sorted(scenes.outputs())
HISTORIES = sorted(problems.FILES.values())
ALL = sorted(ASSETS + HISTORIES)


@pytest.mark.parametrize("changed, rebuilt", [
    ("scenes/gd_fit.py", ["gd_fit.png"]),
    ("scenes/gd_line.py", ["gd_line.gif"]),
    ("scenes/gd_bowl.py", ["gd_bowl.gif", "gd_bowl.png"]),
    ("scenes/common.py", ASSETS),
    ("render/writer.py", ASSETS),
    ("render/descent.py", ALL),
    ("render/problems.py", ALL),
    ("data/sample_standings.csv", ALL),
    ("requirements.lock", ALL),
])
def test_a_change_rebuilds_exactly_what_it_touches(built, changed, rebuilt):
    commands = would_run(built, "-W", changed)
    assert targets(commands) == rebuilt


SCALING = ["gd_scaling.png", "history_scaling.csv"]  # fixed rates and start: data and steps only


@pytest.mark.parametrize("setting, rebuilt", [
    ("LR=0.001", [t for t in ALL if t not in SCALING]),
    ("RATES=0.01 0.1", [t for t in ALL if t not in SCALING]),
    ("B0=1.5", [t for t in ALL if t not in SCALING]),
    ("STEPS=50", ALL),
    ("DATA", ALL),
])
def test_a_changed_setting_rebuilds_what_uses_it(built, tmp_path, setting, rebuilt):
    if setting == "DATA":  # the same bytes under another name still count as other data
        copy = tmp_path / "copy.csv"
        copy.write_bytes((ROOT / "data" / "sample_standings.csv").read_bytes())
        setting = f"DATA={copy}"
    assert targets(would_run(built, setting)) == rebuilt


def test_missing_rs_fails_only_the_two_feature_scene(tmp_path):
    no_rs = tmp_path / "no_rs.csv"
    lines = (ROOT / "data" / "sample_standings.csv").read_text().splitlines()
    no_rs.write_text("\n".join(",".join(f for i, f in enumerate(l.split(",")) if i != 5) for l in lines) + "\n")
    out = tmp_path / "out"
    result = run_make("all", f"OUT={out}", f"DATA={no_rs}")
    assert result.returncode == 2
    ours = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert ours == [f"error: {no_rs}: no RS column: the two-feature scene needs runs scored and allowed"]
    built_now = {p.name for p in out.iterdir()}
    assert set(ASSETS) - built_now == {"gd_two_features.png"}
    assert "history_two_features.csv" not in built_now


def test_bad_data_through_make_touches_no_output(built, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Team,W,RunDiff\nA,90,5\nB,oops,3\nC,70,-8\n")
    before = snapshot(built)
    result = run_make("all", f"OUT={built}", f"DATA={bad}")
    assert result.returncode == 2
    ours = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert ours == [f"error: {bad}, row 3, column W: 'oops' is not a number"]
    assert "Traceback" not in result.stderr
    assert snapshot(built) == before
    assert would_run(built) == []  # the stamp still names the good build


def test_parallel_build_gives_the_same_files(built, tmp_path):
    result = run_make("-j2", "all", f"OUT={tmp_path}")
    assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path) == snapshot(built)


PROBE = """
import os, runpy, sys
sys.argv = ["render", *sys.argv[1:]]
try:
    runpy.run_module("render", run_name="__main__")
except SystemExit as e:
    assert not e.code, e.code
root = os.getcwd() + os.sep
print("\\n".join(sorted(os.path.relpath(m.__file__) for m in list(sys.modules.values())
                        if getattr(m, "__file__", None) and os.path.abspath(m.__file__).startswith(root)
                        and not os.path.relpath(m.__file__).startswith((".venv", "tests")))))
"""


def imported(*args):
    result = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


@pytest.mark.parametrize("problem", problems.NAMES)
def test_history_dependencies_cover_what_it_imports(tmp_path, problem):
    declared = set(make_list("ENGINE_CODE"))
    assert imported("history", "--problem", problem, "--out", tmp_path / "h.csv") <= declared


@pytest.mark.parametrize("output", scenes.outputs())
def test_scene_dependencies_cover_what_it_imports(built, tmp_path, output):
    name = output.rsplit(".", 1)[0]
    declared = set(make_list("SCENE_CODE")) | {f"scenes/{name}.py"}
    history = built / problems.FILES[scenes.problem(name)]
    used = imported("scene", name, "--history", history, "--out", tmp_path / output)
    assert used <= declared, used - declared
