"""output/history.csv: long format, fixed float format, read back bit for bit."""
import numpy as np

from render.engine import data, descent
from render.engine.history import from_csv, pick, to_csv
from tests.conftest import DATA


def histories():
    season = data.load(str(DATA))
    x, y = descent.standardize(season.run_diff), descent.standardize(season.wins)
    return [descent.descend(x, y, lr) for lr in (0.001, 0.1, 1.5, 10.0)]


def test_round_trip_is_exact_including_divergence():
    runs = histories()
    assert runs[-1].diverged_at is not None  # lr 10 overflows: its last loss is inf
    back = from_csv(to_csv(runs))
    assert back == runs
    for a, b in zip(runs, back):
        assert a.lr == b.lr and a.diverged_at == b.diverged_at
        assert np.array_equal(a.m, b.m) and np.array_equal(a.b, b.b)
        assert np.array_equal(a.loss, b.loss)


def test_long_format_columns_and_fixed_float_format():
    text = to_csv(histories()[:2])
    lines = text.splitlines()
    assert lines[0] == "lr,step,m,b,loss"
    assert len(lines) == 1 + 2 * 201
    fields = lines[1].split(",")
    assert fields[1] == "0"
    for f in fields[:1] + fields[2:]:
        mantissa, exponent = f.split("e")
        assert len(mantissa.lstrip("-")) == 18  # d.dddddddddddddddd: 17 significant digits
    assert pick(from_csv(text), 0.1).lr == 0.1


def test_more_features_get_numbered_weight_columns():
    season = data.load(str(DATA))
    X = descent.standardize(np.column_stack([season.runs_scored, season.runs_allowed]))
    run = descent.descend(X, descent.standardize(season.wins), 0.1, 10)
    text = to_csv([run])
    assert text.splitlines()[0] == "lr,step,m1,m2,b,loss"
    assert from_csv(text) == [run]
