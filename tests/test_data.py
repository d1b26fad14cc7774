"""The loader on good tables. Bad ones: tests/test_bad_input.py and tests/data/bad/."""
import numpy as np
from render.engine import data
from tests.conftest import DATA, run_make

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


def test_credit_falls_back_to_the_file_name_with_one_warning(tmp_path):
    path = tmp_path / "season_2031.csv"
    path.write_text(table())
    season = data.load(str(path))
    assert season.credit == "Data: season_2031.csv"
    assert len(season.warnings) == 1 and season.warnings[0].startswith(
        f"{path}: no season_2031.credit beside it (or it is empty): every figure will credit only the file's name")
    path.with_suffix(".credit").write_text("Data: 2031 standings, a source (CC BY 4.0)\n")
    season = data.load(str(path))
    assert season.credit == "Data: 2031 standings, a source (CC BY 4.0)" and season.warnings == ()


def test_a_copied_season_without_its_credit_warns_through_make(tmp_path):
    copy = tmp_path / "standings_mod.csv"
    copy.write_bytes(DATA.read_bytes())
    result = run_make("-s", "summary", f"DATA={copy}")
    assert result.returncode == 0, result.stderr
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert ours == [f"warning: {copy}: no standings_mod.credit beside it (or it is empty): every figure will "
                    f"credit only the file's name; put the data's source and licence on that file's first line"]
