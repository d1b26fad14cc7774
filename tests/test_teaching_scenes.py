"""The teaching scenes' numbers, as data: classifications and their labels, the bowl's
closed-form grid, the paths' ends, condition numbers, and the two-feature fit."""
import re

import numpy as np
import pytest

from render.engine import data, descent, problems
from render.engine.history import pick
from render.errors import InputError
from render.settings import Settings
from scenes import gd_bowl, gd_learning_rates, gd_scaling
from tests.conftest import DATA, drawing


@pytest.fixture(scope="module")
def season():
    return data.load(str(DATA))


@pytest.fixture(scope="module")
def xy(season):
    return problems.line(season)


@pytest.mark.parametrize("lr, label", [
    (0.001, "crawling"),
    (0.1, "healthy"),
    (1.5, r"exploding: loss ×3\.\d per step"),
    (10, r"exploding: overflowed at step \d+"),
])
def test_comparison_labels_carry_the_engines_classification(xy, lr, label):
    run = descent.descend(*xy, lr=lr, steps=200)
    text = gd_learning_rates.verdict(run)
    assert re.fullmatch(label, text)
    assert text.split(":")[0] == descent.classify(run)
    if run.diverged_at is not None:
        assert str(run.diverged_at) in text


def test_growth_per_step_is_measured_from_the_losses(xy):
    run = descent.descend(*xy, lr=1.5, steps=200)
    # for lr 1.5 the error along m is multiplied by 1 - lr * 2 * (n-1)/n each step; the
    # loss, a square, by that factor squared
    n = len(xy[0])
    expected = (1 - 1.5 * 2 * (n - 1) / n) ** 2
    assert gd_learning_rates.growth_per_step(run.loss) == pytest.approx(expected, rel=1e-6)


def test_bowl_grid_from_sums_equals_the_loss_team_by_team(xy):
    x, y = xy
    M, B = np.meshgrid(np.linspace(-1.5, 2.5, 17), np.linspace(-2, 2, 13))
    grid = descent.loss_grid(x, y, M, B)
    by_team = np.array([[np.mean([(m * xi + b - yi) ** 2 for xi, yi in zip(x, y)]) for m, b in zip(rm, rb)]
                        for rm, rb in zip(M, B)])
    assert np.allclose(grid, by_team, rtol=1e-12, atol=1e-12)


def test_two_feature_grid_equals_the_loss_team_by_team(season):
    X, y = problems.two_features(season)
    W1, W2 = np.meshgrid(np.linspace(-1, 1, 7), np.linspace(-1, 1, 5))
    grid = descent.weights_grid(X, y, W1, W2, 0.25)
    direct = np.array([[descent.mse(X, y, np.array([a, c]), 0.25) for a, c in zip(r1, r2)] for r1, r2 in zip(W1, W2)])
    assert np.allclose(grid, direct, rtol=1e-12)


@pytest.mark.parametrize("m0, b0", [(0.0, 0.0), (-1.0, 1.5)])
def test_bowl_path_runs_from_the_start_to_the_minimum(season, xy, m0, b0):
    run = pick(problems.runs("line", season, Settings(str(DATA), m0=m0, b0=b0)), 0.1)
    fit = descent.closed_form(*xy)
    assert (run.slope[0], run.b[0]) == (m0, b0)
    assert abs(run.slope[-1] - fit.m[0]) < 1e-6 and abs(run.b[-1] - fit.b) < 1e-6
    mlim, blim = gd_bowl.window((m0, b0), (fit.m[0], fit.b))
    assert gd_bowl.inside(run.slope, run.b, mlim, blim).all()  # the whole path is over the drawn bowl
    if b0 == 0:
        assert np.ptp(run.b) < 1e-12  # the straight path along b = 0 the figure explains


def test_condition_numbers(season):
    x, _ = problems.line(season)
    # z-scores: the Hessian is diag(2 (n-1)/n, 2), so the bowl is all but round
    n = len(x)
    assert gd_scaling.condition_number(x) == pytest.approx(n / (n - 1), rel=1e-12)
    raw, _ = problems.raw_line(season)
    # raw units: eigenvalues of 2 [[<x^2>, <x>], [<x>, 1]] in closed form for a 2x2
    a, c = np.mean(raw ** 2), np.mean(raw)
    root = np.sqrt((a - 1) ** 2 + 4 * c * c)
    assert gd_scaling.condition_number(raw) == pytest.approx((a + 1 + root) / (a + 1 - root), rel=1e-9)
    assert gd_scaling.condition_number(raw) > 10_000


def test_scaling_runs_start_on_the_same_line_and_the_raw_one_crawls(season):
    runs = problems.runs("scaling", season, Settings(str(DATA)))
    xz, yz = problems.line(season)
    xr, yr = problems.raw_line(season)
    z, raw = pick(runs, problems.monotone_rate(xz)), pick(runs, problems.monotone_rate(xr))
    assert len(z.loss) == len(raw.loss) == 201
    # the same starting line: raw-unit predictions equal the z-score ones, rescaled
    pred_z = z.slope[0] * xz + z.b[0]
    pred_raw = raw.slope[0] * xr + raw.b[0]
    assert np.allclose(pred_raw, yr.mean() + pred_z * yr.std(ddof=1))
    fit_z, fit_raw = np.polyfit(xz, yz, 1), np.polyfit(xr, yr, 1)
    assert abs(z.slope[-1] - fit_z[0]) < 1e-9  # the round bowl: there
    assert abs(raw.b[-1] - fit_raw[1]) > 0.9 * abs(raw.b[0] - fit_raw[1])  # the valley: barely moved
    assert np.all(np.diff(raw.loss) <= 0) and np.all(np.diff(z.loss) <= 1e-15)  # neither overshoots


def test_two_feature_history_reaches_least_squares(season):
    run = pick(problems.runs("two_features", season, Settings(str(DATA), steps=600)), 0.1)
    X, y = problems.two_features(season)
    solution = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)[0]
    assert np.max(np.abs(run.m[-1] - solution[:2])) < 1e-6 and abs(run.b[-1] - solution[2]) < 1e-6


def test_missing_rs_fails_the_two_feature_runs_in_one_line(tmp_path):
    # (through make, only that scene fails: tests/test_make.py)
    path = tmp_path / "no_rs.csv"
    path.write_text("Team,W,RA,RunDiff\nA,90,700,100\nB,81,700,0\nC,70,750,-100\n")
    with pytest.raises(InputError) as refused:
        problems.runs("two_features", data.load(str(path)), Settings(str(path)))
    assert str(refused.value) == f"{path}: no RS column: the two-feature scene needs runs scored and allowed"


@pytest.mark.parametrize("lr, steps", [(0.1, 200), (0.1, 5), (0.001, 200)])
def test_the_bowl_caption_names_the_minimum_once_when_the_path_reaches_it(season, lr, steps):
    from render.engine.lesson import Lesson
    from render.numbers import fixed

    lesson = Lesson(season, tuple(problems.runs("line", season, Settings(str(DATA), lr=lr, steps=steps))), lr)
    run, fit = lesson.run, lesson.fit
    _, caption = gd_bowl.words(lesson, "still")
    end = f"m = {fixed(run.slope[-1])}, b = {fixed(run.b[-1])}"
    target = f"m = {fixed(fit.m[0])}, b = {fixed(fit.b)}"
    assert f"down to {end} (loss {fixed(run.loss[-1], 4)}) in {steps} steps" in caption
    if end == target:  # landed to the digits shown: the minimum is named, not repeated
        assert caption.count(target) == 1 and caption.endswith("the closed-form minimum.")
    else:
        assert caption.endswith(f"with the minimum at {target}.")
    assert (end == target) == (lr == 0.1 and steps == 200)


@pytest.mark.parametrize("m0, b0, lr", [(0.0, 0.0, 0.1), (-1.0, 1.5, 0.1), (0.0, 0.0, 0.001), (0.0, 0.0, 1.5)])
def test_the_bowl_is_seen_from_the_minimums_side_with_the_whole_path_in_view(season, m0, b0, lr):
    from render.engine.lesson import Lesson
    from render.settings import Settings

    settings = Settings(str(DATA), lr=lr, m0=m0, b0=b0)
    lesson = Lesson(season, tuple(problems.runs("line", season, settings)), lr)
    with drawing(lesson) as pen:
        bowl = gd_bowl.Bowl(lesson, pen)
    window = (bowl.mlim, bowl.blim)
    # every point of the path drawn is seen from the camera: no part of the surface stands
    # between them; from any lower elevation tried, at the same angle, some point is not
    assert gd_bowl.seen(bowl.eye, *bowl.path(bowl.shown), bowl.loss, window).all()
    lower = [e for e in gd_bowl.ELEVATIONS_DEG if e < bowl.elev]
    if lower:
        bowl.ax.view_init(elev=lower[-1], azim=bowl.azim)
        assert not gd_bowl.seen(gd_bowl.eye(bowl.ax), *bowl.path(bowl.shown), bowl.loss, window).all()
    # the camera stands on the minimum's side of the bowl, looking toward the start
    camera = np.array([np.cos(np.radians(bowl.azim)), np.sin(np.radians(bowl.azim))])
    start = np.array([(bowl.run.slope[0] - bowl.minimum[0]) / np.ptp(bowl.mlim),
                      (bowl.run.b[0] - bowl.minimum[1]) / np.ptp(bowl.blim)])
    if np.hypot(*start) > 0:
        assert camera @ start < 0
    # a squared error starts at zero; the surface is opaque; no build command is drawn
    assert bowl.ax.get_zlim()[0] == 0
    assert all(c.get_alpha() in (None, 1) for c in bowl.ax.collections[:1])
    assert not any("make " in t.get_text() for t in bowl.fig.findobj(lambda a: hasattr(a, "get_text")))


def test_a_line_on_the_surface_is_drawn_only_where_the_camera_sees_it():
    # A ridge across the middle of the window hides, from a camera low on its right, the
    # ground on its left; the ground on its right is seen.
    def ridge(m, b):
        return np.where((0.4 < m) & (m < 0.6), 1.0, 0.0)

    camera = np.array([2.0, 0.5, 1.5])
    m, b, z = np.array([0.2, 0.8, 0.5]), np.array([0.5, 0.5, 0.5]), np.array([0.0, 0.0, 1.0])
    assert gd_bowl.seen(camera, m, b, z, ridge, ((0, 1), (0, 1))).tolist() == [False, True, True]
