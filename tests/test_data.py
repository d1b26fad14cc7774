"""The loader on good tables. Bad ones: tests/test_bad_input.py and tests/data/bad/."""
import numpy as np
from render.engine import data
from tests.conftest import DATA

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
