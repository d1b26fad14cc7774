"""The loader: the bundled season loads; every kind of bad input is one clear line, exit 2,
no traceback, and nothing in the output folder touched."""
import numpy as np
import pytest

from render import data
from render.errors import InputError
from tests.conftest import DATA, run_cli, snapshot

HEADER = "Team,Lg,Div,W,L,RS,RA,RunDiff"
GOOD_ROWS = [
    "Alpha,AL,East,90,72,800,700,100",
    "Beta,AL,East,81,81,700,700,0",
    "Gamma,AL,East,70,92,650,750,-100",
    "Delta,AL,East,85,77,720,690,30",
]


def table(header=HEADER, rows=GOOD_ROWS):
    return "\n".join([header, *rows]) + "\n"


def test_bundled_season_is_the_verified_2023_table():
    season = data.load(str(DATA))
    assert season.n == 30
    assert season.wins.sum() == 2430 and season.run_diff.sum() == 0
    assert np.array_equal(season.run_diff, season.runs_scored - season.runs_allowed)
    assert "Lahman" in season.credit  # from data/sample_standings.credit


def test_run_diff_is_derived_from_rs_and_ra_when_missing(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(table("Team,W,L,RS,RA", [",".join(r.split(",")[i] for i in (0, 3, 4, 5, 6)) for r in GOOD_ROWS]))
    season = data.load(str(path))
    assert list(season.run_diff) == [100, 0, -100, 30]


def test_windows_line_endings_a_bom_and_a_trailing_blank_line_load(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"\xef\xbb\xbf" + table().replace("\n", "\r\n").encode() + b"\r\n")
    assert data.load(str(path)).n == 4


def test_credit_falls_back_to_the_file_name(tmp_path):
    path = tmp_path / "season_2031.csv"
    path.write_text(table())
    assert data.load(str(path)).credit == "Data: season_2031.csv"


# (what the file holds, the words the one error line must contain)
BAD = {
    "empty": ("", "is empty"),
    "header only": (HEADER + "\n", "0 team row(s); descent needs at least 3"),
    "two teams": (table(rows=GOOD_ROWS[:2]), "2 team row(s)"),
    "no W column": (table("Team,Lg,Div,Wins,L,RS,RA,RunDiff"), "no W column"),
    "no RunDiff and no RS": (table("Team,Lg,Div,W,L,Runs,RA,Diff"), "no RunDiff column, and no RS and RA"),
    "RunDiff disagrees with RS - RA": (table(rows=GOOD_ROWS[:2] + ["Gamma,AL,East,70,92,650,750,-99"] + GOOD_ROWS[3:]),
                                       "row 4, column RunDiff: -99 is not RS - RA = -100"),
    "text in W": (table(rows=["Alpha,AL,East,ninety,72,800,700,100"] + GOOD_ROWS[1:]),
                  "row 2, column W: 'ninety' is not a number"),
    "missing value": (table(rows=GOOD_ROWS[:1] + ["Beta,AL,East,,81,700,700,0"] + GOOD_ROWS[2:]),
                      "row 3, column W: missing"),
    "NaN": (table(rows=GOOD_ROWS[:3] + ["Delta,AL,East,NaN,77,720,690,30"]), "row 5, column W: 'NaN' is not a finite"),
    "inf": (table(rows=GOOD_ROWS[:3] + ["Delta,AL,East,85,77,inf,690,30"]), "row 5, column RS: 'inf' is not a finite"),
    "negative wins": (table(rows=GOOD_ROWS[:3] + ["Delta,AL,East,-5,77,720,690,30"]), "row 5, column W: -5 is negative"),
    "duplicate team": (table(rows=GOOD_ROWS + ["Beta,NL,West,80,82,700,690,10"]),
                       "row 6, column Team: team 'Beta' already appears in row 3"),
    "same RunDiff everywhere": (table("Team,W,RunDiff", ["A,90,5", "B,80,5", "C,70,5"]),
                                "column RunDiff: every team has the same value (5)"),
    "same W everywhere": (table("Team,W,RunDiff", ["A,81,5", "B,81,-5", "C,81,0"]), "column W: every team has the same"),
    "not UTF-8": (None, "is not UTF-8 text"),
}


def write_case(folder, name):
    text, _ = BAD[name]
    path = folder / "bad.csv"
    if text is None:
        path.write_bytes(table().encode().replace(b"Alpha", b"Alph\xe9"))
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_table_raises_one_input_error_naming_file_row_and_column(tmp_path, name):
    path = write_case(tmp_path, name)
    with pytest.raises(InputError) as error:
        data.load(str(path))
    message = str(error.value)
    assert message.startswith(str(path))
    assert BAD[name][1] in message
    assert "\n" not in message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        data.load(str(tmp_path / "nope.csv"))
    with pytest.raises(InputError, match="is a directory"):
        data.load(str(tmp_path))


def assert_one_line_exit_2(result, *words):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for w in words:
        assert w in lines[0]
    assert result.stdout == ""


# Through the real command line: one case per kind, plus every parameter check.
@pytest.mark.parametrize("name", ["empty", "no W column", "text in W", "duplicate team", "not UTF-8",
                                  "RunDiff disagrees with RS - RA", "same RunDiff everywhere"])
@pytest.mark.parametrize("command", ["history", "scene"])
def test_cli_bad_data_is_one_line_exit_2_and_touches_no_output(workdir, name, command):
    out = workdir / "out"
    (out / "gd_fit.png").write_bytes(b"previous asset")
    (out / "history.csv").write_text("previous history")
    before = snapshot(out)
    path = write_case(workdir, name)
    if command == "history":
        result = run_cli("history", "--data", path, "--out", out / "history.csv")
    else:
        result = run_cli("scene", "gd_fit", "--data", path, "--history", out / "history.csv", "--out", out / "gd_fit.png")
    assert_one_line_exit_2(result, str(path), BAD[name][1])
    assert snapshot(out) == before


@pytest.mark.parametrize("args, words", [
    (["--lr", "0"], "learning rate '0' must be a positive"),
    (["--lr", "-0.1"], "learning rate '-0.1' must be a positive"),
    (["--lr", "nan"], "must be a positive finite"),
    (["--lr", "fast"], "'fast' is not a number"),
    (["--steps", "0"], "step count 0 must be between 1"),
    (["--steps", "-3"], "step count -3 must be between 1"),
    (["--steps", "2.5"], "'2.5' is not a whole number"),
    (["--steps", "100000000"], "must be between 1 and 1,000,000"),
    (["--m0", "inf"], "start value 'inf' must be finite"),
    (["--data", "no/such.csv"], "no/such.csv: no such file"),
])
def test_cli_bad_parameters_are_one_line_exit_2(workdir, args, words):
    out = workdir / "out"
    before = snapshot(out)
    result = run_cli("history", "--out", out / "history.csv", *args)
    assert_one_line_exit_2(result, words)
    assert snapshot(out) == before


def test_cli_output_folder_that_is_a_file(workdir):
    blocker = workdir / "blocker"
    blocker.write_text("not a folder")
    result = run_cli("history", "--out", blocker / "history.csv")
    assert_one_line_exit_2(result, "the output folder is a file")
    assert blocker.read_text() == "not a folder"


def test_cli_unknown_scene(workdir):
    assert_one_line_exit_2(run_cli("scene", "gd_nope", "--history", "x", "--out", workdir / "x.png"), "no such scene")
