"""Make is the front door and one build process does the work: a no-op build runs no
Python, a touched but unchanged file rebuilds nothing, a change rebuilds exactly what it
touches (decided from content hashes), and the Makefile names no scene."""
import ast
import os
import re
import subprocess

import pytest

from render.outputs import KINDS
from render.pipeline import registry
from render.pipeline import plan
from render.engine import problems
from render.publish import manifest
from tests.conftest import DATA, ROOT, TEST_FORMATS, TEST_LAYOUTS, TEST_THEMES, TEST_VARIANT, run_cli, run_make, snapshot

MAKEFILE = (ROOT / "Makefile").read_text()
HISTORIES = sorted(p.file for p in problems.PROBLEMS.values())
ALL = registry.files()  # what `built` holds: every theme and layout
MADE = registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS)  # what the tests' makes build


def would_make(out, *args, cwd=ROOT):
    """The files a build would make now, and why, without making them."""
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "render", "build", "--dry-run", "--out-dir", str(out),
         *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return sorted(line.split()[2].rstrip(":").rsplit("/", 1)[-1] for line in result.stdout.splitlines())


def files_of(*names, themes=(), layouts=(), formats=()):
    return sorted(registry.files(themes, layouts, names=names, formats=formats))


def test_the_makefile_names_no_scene():
    for name in registry.NAMES:
        assert name not in MAKEFILE
    fragment = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    assert f"one scene: {' '.join(registry.NAMES)}" in fragment


def test_every_scene_defines_what_its_entry_declares():
    for scene in registry.SCENES:
        module = registry.module(scene)
        for kind in KINDS:
            assert hasattr(module, kind) == (kind in scene.kinds), (scene.name, kind)
        assert callable(module.words)
        assert scene.problem in problems.PROBLEMS
    assert len(set(ALL)) == len(ALL) == sum(len(r.files) for r in registry.renders())


def test_a_second_make_all_runs_no_python(built):
    assert run_make("-q", "all", f"OUT={built}", "THEMES=", "LAYOUTS=", "FORMATS=").returncode == 0
    dry = run_make("-n", "all", f"OUT={built}", "THEMES=", "LAYOUTS=", "FORMATS=")
    assert "python" not in dry.stdout and dry.returncode == 0


def test_touching_every_input_rebuilds_nothing(project, out):
    before = snapshot(out)
    inputs = [p for p in project.rglob("*") if p.is_file() and ".venv" not in p.parts and p.suffix in
              (".py", ".mplstyle", ".csv", ".lock", ".credit")]
    for p in inputs:
        os.utime(p)  # now: newer than every file of the build
    result = run_make("all", f"OUT={out}", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("-m render build") == 1  # one Python start
    assert result.stdout.rstrip().endswith(f"0 made, {len(MADE)} up to date")
    after = snapshot(out)
    assert {k: v for k, v in after.items() if not k.startswith(".built")} == \
        {k: v for k, v in before.items() if not k.startswith(".built")}
    assert run_make("-q", "all", f"OUT={out}", cwd=project).returncode == 0


@pytest.mark.parametrize("changed, rebuilt", [
    ("scenes/gd_fit.py", files_of("gd_fit")),
    ("scenes/gd_line.py", files_of("gd_line")),
    ("scenes/gd_bowl.py", files_of("gd_bowl")),
    ("scenes/common.py", sorted(ALL)),
    ("render/draw/writer.py", sorted(ALL)),
    ("render/engine/descent.py", sorted(ALL)),
    ("requirements.lock", sorted(ALL)),
    ("render/publish/page.py", []),
])
def test_a_code_change_makes_exactly_what_it_touches(project, out, changed, rebuilt):
    with open(project / changed, "a") as f:
        f.write("\n")
    assert would_make(out, cwd=project) == rebuilt


SCALING = files_of("gd_scaling")  # fixed rates and start: data and steps only


@pytest.mark.parametrize("setting, rebuilt", [
    (["--lr", "0.001"], [f for f in sorted(ALL) if f not in SCALING]),
    (["--lr", "0.10"], []),  # the same number, written otherwise
    (["--rates", "0.01 0.1"], [f for f in sorted(ALL) if f not in SCALING]),
    (["--b0", "1.5"], [f for f in sorted(ALL) if f not in SCALING]),
    (["--steps", "50"], sorted(ALL)),
    (["--data", "copy"], sorted(ALL)),  # the same bytes under another name: another credit line
])
def test_a_changed_setting_makes_what_uses_it(built, tmp_path, setting, rebuilt):
    if setting[-1] == "copy":
        copy = tmp_path / "copy.csv"
        copy.write_bytes(DATA.read_bytes())
        setting = ["--data", str(copy)]
    assert would_make(built, *setting) == rebuilt


def test_a_scene_change_rebuilds_that_scene_the_manifest_and_the_page(project, out):
    with open(project / "scenes" / "gd_fit.py", "a") as f:
        f.write("\n# a comment\n")
    before = snapshot(out)
    result = run_make("all", f"OUT={out}", cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(l for l in result.stdout.splitlines() if l.startswith("made ")) == \
        [f"made {out}/{f}" for f in files_of("gd_fit", themes=TEST_THEMES, layouts=TEST_LAYOUTS, formats=TEST_FORMATS)]
    after = snapshot(out)
    changed = sorted(k for k in after if after[k] != before.get(k) and not k.startswith(".built"))
    assert changed == ["manifest.json"]  # same pictures, new code hash; page words unchanged
    assert run_make("-s", "check", f"OUT={out}", cwd=project).returncode == 0


def test_missing_rs_fails_only_the_two_feature_scene(tmp_path):
    no_rs = tmp_path / "no_rs.csv"
    lines = DATA.read_text().splitlines()
    no_rs.write_text("\n".join(",".join(f for i, f in enumerate(l.split(",")) if i != 5) for l in lines) + "\n")
    out = tmp_path / "out"
    # One build of two scenes: the one that cannot be drawn fails, the other is made.
    result = run_cli("build", "gd_loss", "gd_two_features", f"--out-dir={out}", f"--data={no_rs}", *TEST_VARIANT)
    assert result.returncode == 2
    ours = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert ours == [f"error: {no_rs}: no RS column: the two-feature scene needs runs scored and allowed"]
    failed = files_of("gd_two_features", themes=TEST_THEMES, layouts=TEST_LAYOUTS, formats=TEST_FORMATS)
    stills = files_of("gd_loss", themes=TEST_THEMES, layouts=TEST_LAYOUTS, formats=TEST_FORMATS) + failed
    assert result.stdout.rstrip().endswith(f"{len(stills) - len(failed)} made, 0 up to date, {len(failed)} failed")
    built_now = {p.name for p in out.iterdir()}
    assert set(stills) - built_now == set(failed)
    assert "history_two_features.csv" not in built_now
    listed = {e["file"] for e in manifest.load(str(out))["assets"]}
    assert listed == set(stills) - set(failed)
    # the tutorial is still written, and says what it could not show, and why: the data's
    # reason for the scene that cannot be drawn, the build's for one it did not draw
    page = (out / "tutorial.html").read_text()
    assert ("(gd_two_features could not be drawn for this data: no RS column: the two-feature scene needs "
            "runs scored and allowed)") in page
    assert "(gd_fit is not in this build: make all draws every picture)" in page
    assert "gd_loss is not in this build" not in page and "gd_loss could not" not in page
    assert str(no_rs) not in page  # the reader's page does not show a path on the maintainer's disk
    # every number the data allows is filled, the scenes this build did not draw included
    # (the scaling figure's condition numbers); only the two features' are not
    missing = re.findall(r"<!-- gd:value (\w+) -->\(not available for this data\)", page)
    assert sorted(set(missing)) == ["closed_form_w_allowed", "closed_form_w_scored", "w_allowed", "w_scored"]


def test_bad_data_through_make_touches_no_output(out, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Team,W,RunDiff\nA,90,5\nB,oops,3\nC,70,-8\n")
    before = snapshot(out)
    result = run_make("all", f"OUT={out}", f"DATA={bad}")
    assert result.returncode == 2
    ours = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert ours == [f"error: {bad}, row 3, column W: 'oops' is not a number"]
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    # The good settings again: Make sees another settings file and starts Python once,
    # which finds every asset current and writes nothing.
    again = run_make("all", f"OUT={out}", "THEMES=", "LAYOUTS=", "FORMATS=")
    assert again.returncode == 0 and again.stdout.rstrip().endswith(f"0 made, {len(ALL)} up to date"), again.stderr
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".built")} == \
        {k: v for k, v in before.items() if not k.startswith(".built")}
    assert run_make("-q", "all", f"OUT={out}", "THEMES=", "LAYOUTS=", "FORMATS=").returncode == 0


def test_one_scene_target_builds_that_scene_alone(out):
    before = snapshot(out)
    result = run_make("gd_linked", f"OUT={out}", "M0=-1", "B0=1.5")  # its every file shows the start
    assert result.returncode == 0, result.stderr
    made = sorted(l.split("/")[-1] for l in result.stdout.splitlines() if l.startswith("made "))
    line = files_of("gd_linked", themes=TEST_THEMES, layouts=TEST_LAYOUTS, formats=TEST_FORMATS)
    assert made == line
    after = snapshot(out)
    changed = sorted(k for k in after if after[k] != before.get(k) and not k.startswith(".built"))
    assert changed == sorted(line + HISTORIES[:1] + ["index.html", "manifest.json", "tutorial.html"])
    # the other assets were made from other settings, and the check says so
    check = run_make("-s", "check", f"OUT={out}")
    stale = {l.split(":")[1].strip() for l in check.stdout.splitlines()}
    assert check.returncode != 0 and stale == set(line)
    assert run_make("-s", "check", f"OUT={out}", "M0=-1", "B0=1.5").returncode != 0


def imports_of(path):
    """Project modules a file imports anywhere in it, as files from the project root."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] in ("render", "scenes"):
                for candidate in (ROOT / "/".join(parts)).with_suffix(".py"), ROOT / "/".join(parts) / "__init__.py":
                    if candidate.exists():
                        found.add(str(candidate.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("name", registry.NAMES)
def test_an_assets_code_covers_every_module_it_is_drawn_with(name):
    declared = set(plan.code_files(name))
    seen, todo = set(), [f"scenes/{name}.py", "render/pipeline/render_one.py", "render/draw/writer.py",
                         "render/draw/frames.py"]
    while todo:  # everything the scene and its render import, transitively
        file = todo.pop()
        if file in seen or file.startswith(plan.NOT_DRAWN_IN):
            continue
        seen.add(file)
        todo.extend(imports_of(ROOT / file))
    assert seen <= declared, seen - declared
    assert not any(f.startswith("scenes/gd_") and f != f"scenes/{name}.py" for f in seen)
