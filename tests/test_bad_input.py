"""Bad input, through the real command line and through make: the corpus in tests/data/bad,
hostile parameters, and output folders that cannot be written. Every case: exit 2, one
line on stderr naming the file (row and column where they apply), no traceback, and every
file in the output folder byte for byte as before."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from render.pipeline import registry
from render.pipeline import plan
from render.publish import manifest
from tests.conftest import ROOT, TEST_FORMATS, TEST_LAYOUTS, TEST_THEMES, TEST_VARIANT, run_cli, run_make, snapshot

BAD = sorted((ROOT / "tests" / "data" / "bad").glob("*.csv"))
#: Through make, a few of every sort (encoding, shape, a column, a cell): make adds the
#: same thing to each, and every file goes through every command in this process below.
THROUGH_MAKE = [p for p in BAD if p.stem in ("non_utf8_team", "ragged_row", "missing_w", "text_in_numeric")]
GOOD = sorted((ROOT / "tests" / "data" / "good").glob("*.csv"))


def expected(path: Path) -> str:
    return path.with_suffix(".expected").read_text().replace("{file}", str(path))


def assert_refused(result, before, out):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before


@pytest.mark.parametrize("path", THROUGH_MAKE, ids=[p.stem for p in THROUGH_MAKE])
def test_corpus_through_make(out, path):
    line = expected(path)
    before = snapshot(out)
    result = run_make("all", f"OUT={out}", f"DATA={path}")
    assert_refused(result, before, out)
    # make adds its own "*** ... Error 2" lines; ours is the only other one, once
    ours = [l for l in result.stderr.splitlines() if not l.startswith("make")]
    assert ours == [line.rstrip("\n")]


@pytest.mark.parametrize("make_path", [False, True])
def test_missing_file_and_directory(out, tmp_path, make_path):
    before = snapshot(out)
    for path, words in ((tmp_path / "nope.csv", "no such file"), (tmp_path, "is a directory, not a CSV file")):
        if make_path:
            result = run_make("all", f"OUT={out}", f"DATA={path}")
            ours = [l for l in result.stderr.splitlines() if not l.startswith("make")]
        else:
            result = run_cli("build", "--data", path, "--out-dir", out)
            ours = result.stderr.splitlines()
        assert_refused(result, before, out)
        assert ours == [f"error: {path}: {words}"]


def test_a_50_mb_file_is_refused_before_it_is_read(out, tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB of size, nothing to read
    before = snapshot(out)
    result = run_cli("build", "--data", big, "--out-dir", out)
    assert_refused(result, before, out)
    assert result.stderr == f"error: {big}: is 50.0 MiB; the limit is 20 MiB\n"


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_corpus_through_each_command(out, path, capsys):
    """Every command that reads the data says the same one line (in this process: the
    command line's main, as `python -m render` runs it)."""
    from render.__main__ import main

    line = expected(path)
    before = snapshot(out)
    for args in (["build", "--out-dir", out], ["build", "gd_fit", "--dry-run", "--out-dir", out],
                 ["check", "--out-dir", out], ["summary"]):
        status = main([*map(str, args), "--data", str(path)])
        captured = capsys.readouterr()
        assert (status, captured.err, captured.out) == (2, line, ""), args
    assert snapshot(out) == before


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_awkward_files_load(path, capsys):
    from render.__main__ import main

    assert main(["summary", "--data", str(path)]) == 0
    warning = path.with_suffix(".expected")
    assert capsys.readouterr().err == (expected(path) if warning.exists() else "")
    # the same runs as the clean file: these are the same season, differently written
    if path.stem != "unplayed_game":
        assert recorded(path) == recorded(ROOT / "data" / "sample_standings.csv")


def recorded(season: Path) -> str:
    """The line's recorded runs, as the build writes them into history.csv."""
    from render.engine import data, problems
    from render.engine.history import to_csv
    from render.settings import Settings

    return to_csv(problems.runs("line", data.load(str(season)), Settings(str(season))))


def test_ten_thousand_teams_load_and_render(tmp_path):
    rng = np.random.default_rng(3)
    rs, ra = rng.integers(500, 1000, 10_000), rng.integers(500, 1000, 10_000)
    w = np.clip(81 + (rs - ra) // 10 + rng.integers(-8, 9, 10_000), 0, 162)
    big = tmp_path / "many.csv"
    big.write_text("Team,W,L,RS,RA\n" + "".join(f"T{i},{w[i]},{162 - w[i]},{rs[i]},{ra[i]}\n" for i in range(10_000)))
    out = tmp_path / "out"
    chosen = ["gd_fit", "gd_line", "gd_scaling"]  # a still, an animation, the raw-units bowl
    result = run_cli("build", *chosen, "--data", big, "--out-dir", out, *TEST_VARIANT)
    assert result.returncode == 0, result.stderr
    made = set(registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS, names=chosen))
    listed = {e["file"]: e for e in manifest.load(str(out))["assets"]}
    assert set(listed) == made
    document = json.loads((out / "manifest.json").read_text())
    assert "10000 teams" in (out / "index.html").read_text()
    for file, entry in listed.items():
        assert entry["bytes"] == (out / file).stat().st_size > 0
        assert entry["sha256"] == manifest.sha256(str(out / file))
        assert entry["inputs"]["data"] == plan.data_hash(str(big), "Data: many.csv")
    assert "10000 teams" in listed["gd_fit.png"]["alt"] and "10000 teams" in listed["gd_line.gif"]["alt"]
    assert document["summary"].startswith("Start loss: ")
    # the line fitted to 10,000 teams: the history has every step of every rate
    assert (out / "history.csv").read_text().count("\n") == 1 + 3 * 201  # 0.001, 0.1 and 1.5


HOSTILE = [
    (["--lr", "0"], "error: argument --lr: learning rate '0' must be a positive finite number"),
    (["--lr", "-0.1"], "error: argument --lr: learning rate '-0.1' must be a positive finite number"),
    (["--lr", "nan"], "error: argument --lr: learning rate 'nan' must be a positive finite number"),
    (["--lr", "inf"], "error: argument --lr: learning rate 'inf' must be a positive finite number"),
    (["--lr", "fast"], "error: argument --lr: learning rate 'fast' is not a number"),
    (["--steps", "0"], "error: argument --steps: step count 0 must be between 1 and 1,000,000"),
    (["--steps", "-3"], "error: argument --steps: step count -3 must be between 1 and 1,000,000"),
    (["--steps", "2.5"], "error: argument --steps: step count '2.5' is not a whole number"),
    (["--steps", "10000000"], "error: argument --steps: step count 10000000 must be between 1 and 1,000,000"),
    (["--m0", "inf"], "error: argument --m0: start value 'inf' must be finite"),
    (["--m0", "1e200"], "error: start point m0=1e+200, b0=0: the loss there overflows; start closer to 0"),
]


@pytest.mark.parametrize("args, line", HOSTILE, ids=[" ".join(a) for a, _ in HOSTILE])
def test_hostile_parameters_are_one_line_exit_2(out, args, line):
    before = snapshot(out)
    result = run_cli("build", "--out-dir", out, *args)
    assert_refused(result, before, out)
    assert result.stderr.startswith(line)
    assert len(result.stderr.splitlines()) == 1


def test_hostile_parameters_through_make(out):
    before = snapshot(out)
    result = run_make("all", f"OUT={out}", "LR=-1")
    assert_refused(result, before, out)
    ours = [l for l in result.stderr.splitlines() if not l.startswith("make")]
    assert len(ours) == 1 and "learning rate '-1' must be a positive finite number" in ours[0]


def test_a_million_steps_stay_in_bounds(million_steps_run):
    # the documented limit, run for real in a process of its own (started with the test
    # run, see conftest.py): every step is recorded, in four floats a step (32 MB), and the
    # process stays far from gigabytes
    status, out, err = million_steps_run
    assert status == 0, err
    counts, peak_kib = out.splitlines()
    assert counts.split() == ["1", "1000001", "1000001", "1000001"]
    assert int(peak_kib) / 1024 < 200, peak_kib  # interpreter and numpy ~40 MB, the history 32 MB


def test_output_folder_that_does_not_exist_is_created(tmp_path):
    target = tmp_path / "new" / "deeper"
    assert run_cli("build", "gd_fit", *TEST_VARIANT, "--out-dir", target).returncode == 0
    assert (target / "gd_fit.png").exists() and (target / "history.csv").exists()


def test_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    result = run_cli("build", "--out-dir", blocker / "out")
    assert result.returncode == 2
    assert result.stderr == f"error: {blocker}: the output folder is a file\n"
    assert blocker.read_text() == "not a folder"


def test_read_only_output_folder(built, tmp_path):
    """A read-only bind mount: even root cannot write there."""
    source, mounted = tmp_path / "src", tmp_path / "ro"
    shutil.copytree(built, source)
    mounted.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "--bind", str(source), str(mounted)]).returncode:
        pytest.skip("needs root and mount to make a folder read-only for root")
    try:
        assert subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted)]).returncode == 0
        before = snapshot(mounted)
        for command in ("build", "check"):
            result = run_cli(command, "--out-dir", mounted)
            if command == "check":  # it only reads: a read-only folder is no problem for it
                assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
                continue
            assert result.returncode == 2 and "Traceback" not in result.stderr
            assert result.stderr == f"error: {mounted}: the output folder is not writable\n"
        assert snapshot(mounted) == before
    finally:
        subprocess.run(["umount", str(mounted)])


def test_a_warning_is_said_once_per_build(tmp_path):
    season = ROOT / "tests" / "data" / "good" / "unplayed_game.csv"
    # Two scenes' stills, drawn by two workers: one warning, from the build, not one a render.
    result = run_cli("build", "gd_loss", "gd_fit", "--figures", *TEST_VARIANT, "--out-dir", tmp_path,
                     "--data", season)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [expected(season).rstrip("\n")]
    assert result.stdout.rstrip().endswith("6 made, 0 up to date")  # PNG, 2x PNG, SVG each (no AVIF here)
