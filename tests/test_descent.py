"""The descent engine, checked against numpy's own least squares and the maths of MSE."""
import warnings

import numpy as np
import pytest

from render.engine import data, descent
from render.engine.history import History
from tests.conftest import DATA


@pytest.fixture(scope="module")
def xy():
    season = data.load(str(DATA))
    return descent.standardize(season.run_diff), descent.standardize(season.wins)


def test_standardize_uses_the_sample_standard_deviation(xy):
    x, y = xy
    for v in (x, y):
        assert abs(v.mean()) < 1e-15
        assert v.std(ddof=1) == pytest.approx(1.0, abs=1e-15)


def test_start_loss_is_the_mean_of_y_squared(xy):
    x, y = xy
    history = descent.descend(x, y)
    assert history.loss[0] == pytest.approx(np.mean(y**2), rel=1e-15)
    # and for z-scores that is (n - 1) / n
    assert history.loss[0] == pytest.approx((len(y) - 1) / len(y), rel=1e-14)


def test_history_has_one_snapshot_per_step_starting_at_the_start(xy):
    x, y = xy
    history = descent.descend(x, y, lr=0.1, steps=200, m0=-1.0, b0=1.5)
    assert len(history.loss) == 201 and history.m.shape == (201, 1) and history.b.shape == (201,)
    assert history.slope[0] == -1.0 and history.b[0] == 1.5
    for step in (0, 1, 57, 200):
        assert history.loss[step] == pytest.approx(descent.mse(x, y, history.m[step], history.b[step]), rel=1e-12)


def test_descent_reaches_the_closed_form(xy):
    x, y = xy
    fit = descent.closed_form(x, y)
    polyfit = np.polyfit(x, y, 1)
    assert fit.m[0] == polyfit[0] and fit.b == polyfit[1]
    history = descent.descend(x, y, lr=0.1, steps=1000, m0=-1.0, b0=1.5)
    assert abs(history.slope[-1] - fit.m[0]) < 1e-6
    assert abs(history.b[-1] - fit.b) < 1e-6
    assert history.loss[-1] == pytest.approx(fit.loss, abs=1e-12)
    # the minimum of the z-score line's MSE is (n-1)/n * (1 - r^2)
    r = np.corrcoef(x, y)[0, 1]
    assert fit.loss == pytest.approx((len(y) - 1) / len(y) * (1 - r**2), rel=1e-12)


def test_one_step_is_the_gradient_of_the_mse(xy):
    x, y = xy
    m0, b0, lr = 0.3, -0.2, 0.05
    history = descent.descend(x, y, lr=lr, steps=1, m0=m0, b0=b0)
    eps = 1e-6  # central differences on the loss itself
    dm = (descent.mse(x, y, m0 + eps, b0) - descent.mse(x, y, m0 - eps, b0)) / (2 * eps)
    db = (descent.mse(x, y, m0, b0 + eps) - descent.mse(x, y, m0, b0 - eps)) / (2 * eps)
    assert history.slope[1] == pytest.approx(m0 - lr * dm, abs=1e-9)
    assert history.b[1] == pytest.approx(b0 - lr * db, abs=1e-9)


@pytest.mark.parametrize("lr", [0.001, 0.01, 0.1, 0.5, 1.0])
def test_loss_never_rises_for_a_stable_rate(xy, lr):
    x, y = xy
    # stable when lr is below 2 / (largest Hessian eigenvalue); 1 / largest means monotone
    largest = np.linalg.eigvalsh(descent.hessian(x)).max()
    assert lr < 2 / largest
    history = descent.descend(x, y, lr=lr, steps=300, m0=-1.0, b0=1.5)
    if lr <= 1 / largest:
        assert np.all(np.diff(history.loss) <= 1e-15)
    else:
        assert history.loss[-1] < history.loss[0]


@pytest.mark.parametrize("lr, expected", [(0.001, "crawling"), (0.1, "healthy"), (1.5, "exploding")])
def test_the_tutorials_three_rates_are_classified_from_the_history(xy, lr, expected):
    x, y = xy
    assert descent.classify(descent.descend(x, y, lr=lr, steps=200)) == expected


def test_classification_reads_the_losses_not_the_rate():
    flat = np.array([1.0, 0.5, 0.25] + [0.2] * 20)
    falling = np.linspace(1.0, 0.5, 23)
    rising = np.linspace(1.0, 3.0, 23)
    make = lambda loss, lr: History(lr, np.zeros((len(loss), 1)), np.zeros(len(loss)), loss)
    # the same rate, three different runs; and the same run under two different rates
    assert descent.classify(make(flat, 0.5)) == "healthy"
    assert descent.classify(make(falling, 0.5)) == "crawling"
    assert descent.classify(make(rising, 0.5)) == "exploding"
    assert descent.classify(make(flat, 99.0)) == "healthy"
    assert descent.classify(make(np.array([1.0, np.inf]), 0.001)) == "exploding"


@pytest.mark.parametrize("lr", [3.0, 10.0, 1e6])
def test_divergence_stops_records_the_step_and_warns_nothing(xy, lr):
    x, y = xy
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):  # any unguarded overflow would raise here
            history = descent.descend(x, y, lr=lr, steps=5000)
    step = history.diverged_at
    assert step is not None and 0 < step < 5000
    assert len(history.loss) == step + 1
    assert not np.isfinite(history.loss[-1]) and np.all(np.isfinite(history.loss[:-1]))
    assert descent.classify(history) == "exploding"
    assert len(history.finite.loss) == step


def test_two_features_reach_least_squares():
    season = data.load(str(DATA))
    X = descent.standardize(np.column_stack([season.runs_scored, season.runs_allowed]))
    y = descent.standardize(season.wins)
    fit = descent.closed_form(X, y)
    expected = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)[0]
    assert np.allclose(np.append(fit.m, fit.b), expected, atol=1e-12)
    history = descent.descend(X, y, lr=0.1, steps=3000)
    assert history.m.shape == (3001, 2)
    assert np.max(np.abs(history.m[-1] - fit.m)) < 1e-6 and abs(history.b[-1] - fit.b) < 1e-6
    assert fit.m[0] > 0 > fit.m[1]  # runs scored help, runs allowed hurt
