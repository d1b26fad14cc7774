"""The tutorial's result block: its published numbers on the bundled data, and numbers
computed independently (numpy least squares) on another season."""
import re

import numpy as np

from tests.conftest import run_cli, other_season


def test_bundled_data_prints_the_tutorials_block():
    result = run_cli("summary")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # The tutorial's published block (the sign of a zero intercept may differ).
    assert lines[0] == "Start loss: 0.9667"
    assert lines[1] == "After 200 steps: 0.1056"
    assert lines[2] == "Learned slope m = 0.944, intercept b = 0.000"
    assert lines[3] == "Closed-form (numpy.polyfit): slope 0.944, intercept 0.000"
    assert lines[4].startswith("Descent landed on the closed-form line")
    # About 10 runs per win is baseball's rule of thumb; the exact figure comes from the data.
    per_run, per_win = map(float, re.search(r"([\d.]+) wins per run of differential, or ([\d.]+) runs per win",
                                            lines[5]).groups())
    assert 8 < per_win < 13 and abs(per_run * per_win - 1) < 0.01


def test_another_season_gives_its_own_numbers(tmp_path):
    path = other_season(tmp_path / "other.csv")
    table = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    w, rd = table["W"].astype(float), table["RunDiff"].astype(float)
    x, y = (rd - rd.mean()) / rd.std(ddof=1), (w - w.mean()) / w.std(ddof=1)
    slope = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0][0]
    minimum = np.mean((slope * x - y) ** 2)

    result = run_cli("summary", "--data", path, "--steps", "500")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Start loss: {np.mean(y ** 2):.4f}"
    assert lines[1] == f"After 500 steps: {minimum:.4f}"
    assert f"slope {slope:.3f}" in lines[3]
    assert f"{slope * w.std(ddof=1) / rd.std(ddof=1):.4f} wins per run" in lines[5]
    assert lines[1] != "After 500 steps: 0.1056"


def test_a_crawling_run_says_it_did_not_land():
    result = run_cli("summary", "--lr", "0.001")
    lines = result.stdout.splitlines()
    assert lines[4].startswith("Descent did not land on the closed-form line: the run is crawling")
    assert lines[5].startswith("The closed-form slope in real units")


def test_a_diverging_run_says_where():
    result = run_cli("summary", "--lr", "10", "--steps", "1000")
    assert result.returncode == 0 and result.stderr == ""
    assert re.match(r"Diverged at step \d+: the loss overflowed", result.stdout.splitlines()[1])
    assert "the run is exploding" in result.stdout
