"""Property-based tests (hypothesis) of the loader and the engine. Derandomized, so every
run tries the same examples; EXAMPLES of them per property."""
import csv
import io
import tempfile
import warnings

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from render.engine import data, descent
from render.engine.history import from_csv, to_csv

EXAMPLES = 200
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)


@st.composite
def tables(draw):
    n = draw(st.integers(3, 40))
    teams = draw(st.lists(names, min_size=n, max_size=n, unique_by=lambda t: t.strip()))
    assume(all(t.strip() for t in teams))
    wins = draw(st.lists(st.integers(0, 162), min_size=n, max_size=n))
    rs = draw(st.lists(st.integers(0, 1500), min_size=n, max_size=n))
    ra = draw(st.lists(st.integers(0, 1500), min_size=n, max_size=n))
    assume(len(set(wins)) > 1 and len({a - b for a, b in zip(rs, ra)}) > 1)
    with_rundiff = draw(st.booleans())
    return teams, wins, rs, ra, with_rundiff


@SETTINGS
@given(tables())
def test_any_valid_table_loads(table):
    teams, wins, rs, ra, with_rundiff = table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Team", "W", "RS", "RA"] + (["RunDiff"] if with_rundiff else []))
    for row in zip(teams, wins, rs, ra):
        writer.writerow(list(row) + ([row[2] - row[3]] if with_rundiff else []))
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as f:
        f.write(out.getvalue())
    season = data.load(f.name)
    assert season.teams == tuple(t.strip() for t in teams)
    assert np.array_equal(season.wins, wins)
    assert np.array_equal(season.run_diff, np.subtract(rs, ra))


problems = st.integers(3, 60).flatmap(lambda n: st.tuples(
    st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n),
    st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n)))


def standardized(xs, ys):
    x, y = np.array(xs), np.array(ys)
    assume(np.ptp(x) > 1e-6 * (1 + np.abs(x).max()) and np.ptp(y) > 1e-6 * (1 + np.abs(y).max()))
    return descent.standardize(x), descent.standardize(y)


@SETTINGS
@given(problems, st.floats(1e-6, 1e3), st.integers(1, 300), st.floats(-50, 50), st.floats(-50, 50))
def test_descent_never_raises_or_warns(xy, lr, steps, m0, b0):
    x, y = standardized(*xy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = descent.descend(x, y, lr, steps, m0, b0)
    assert 1 <= len(history.loss) <= steps + 1
    assert history.diverged_at is None or history.diverged_at == len(history.loss) - 1
    assert descent.classify(history) in ("healthy", "crawling", "exploding")


@SETTINGS
@given(problems, st.floats(0.01, 1.0), st.integers(1, 200), st.floats(-5, 5), st.floats(-5, 5))
def test_loss_never_rises_below_the_stable_rate(xy, fraction, steps, m0, b0):
    x, y = standardized(*xy)
    lr = fraction / np.linalg.eigvalsh(descent.hessian(x)).max()
    loss = descent.descend(x, y, lr, steps, m0, b0).loss
    assert np.all(np.diff(loss) <= 1e-12 * loss[:-1] + 1e-15)


@SETTINGS
@given(problems, st.floats(1e-4, 20), st.integers(1, 120), st.floats(-5, 5), st.floats(-5, 5))
def test_history_round_trips_exactly(xy, lr, steps, m0, b0):
    x, y = standardized(*xy)
    runs = [descent.descend(x, y, lr, steps, m0, b0), descent.descend(x, y, lr / 3, steps, m0, b0)]
    assert from_csv(to_csv(runs)) == runs
