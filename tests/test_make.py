"""Make: exactly the right targets rebuild, a no-op build runs no Python, -j2 gives the
same bytes, and the dependency lists cover the code each command really imports."""
import re
import subprocess
import sys

import pytest

import scenes
from tests.conftest import ROOT, run_make, snapshot

MAKEFILE = (ROOT / "Makefile").read_text()


def make_list(name):
    match = re.search(rf"^{name}\s*:=\s*((?:.*\\\n)*.*)$", MAKEFILE, re.M)
    return match.group(1).replace("\\\n", " ").replace(f"$(ENGINE_CODE)", make_list_text("ENGINE_CODE")).split()


def make_list_text(name):
    match = re.search(rf"^{name}\s*:=\s*((?:.*\\\n)*.*)$", MAKEFILE, re.M)
    return match.group(1).replace("\\\n", " ")


def would_run(out, *args):
    """The commands ``make all`` would run now, without running them."""
    result = run_make("-n", "all", f"OUT={out}", *args)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "-m render" in line]


def targets(commands):
    return sorted(re.search(r"--out (\S+)", c).group(1).rsplit("/", 1)[-1] for c in commands)


def test_scene_lists_match_the_registry():
    assert tuple(make_list("FIGURES")) == scenes.FIGURES
    assert tuple(make_list("ANIMATIONS")) == scenes.ANIMATIONS


def test_a_second_make_all_runs_no_python(built):
    assert run_make("-q", "all", f"OUT={built}").returncode == 0
    assert would_run(built) == []


ALL = ["gd_fit.png", "gd_line.gif", "gd_loss.png", "history.csv"]


@pytest.mark.parametrize("changed, rebuilt", [
    ("scenes/gd_fit.py", ["gd_fit.png"]),
    ("scenes/gd_line.py", ["gd_line.gif"]),
    ("scenes/common.py", ["gd_fit.png", "gd_line.gif", "gd_loss.png"]),
    ("render/writer.py", ["gd_fit.png", "gd_line.gif", "gd_loss.png"]),
    ("render/descent.py", ALL),
    ("data/sample_standings.csv", ALL),
    ("requirements.lock", ALL),
])
def test_a_change_rebuilds_exactly_what_it_touches(built, changed, rebuilt):
    commands = would_run(built, "-W", changed)
    assert targets(commands) == rebuilt


@pytest.mark.parametrize("setting", ["LR=0.001", "STEPS=50", "B0=1.5", "DATA"])
def test_a_changed_setting_rebuilds_everything(built, tmp_path, setting):
    if setting == "DATA":  # the same bytes under another name still count as other data
        copy = tmp_path / "copy.csv"
        copy.write_bytes((ROOT / "data" / "sample_standings.csv").read_bytes())
        setting = f"DATA={copy}"
    assert targets(would_run(built, setting)) == ALL


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


def test_history_dependencies_cover_what_it_imports(tmp_path):
    declared = set(make_list("ENGINE_CODE"))
    assert imported("history", "--out", tmp_path / "h.csv") <= declared


@pytest.mark.parametrize("name", scenes.NAMES)
def test_scene_dependencies_cover_what_it_imports(built, tmp_path, name):
    declared = set(make_list("SCENE_CODE")) | {f"scenes/{name}.py"}
    used = imported("scene", name, "--history", built / "history.csv", "--out", tmp_path / f"{name}.x.png"
                    if scenes.get(name).KIND == "still" else tmp_path / f"{name}.gif")
    assert used <= declared, used - declared
