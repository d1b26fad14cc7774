"""The descent engine: gradient descent on mean squared error for a linear model, in numpy.

The model is y_hat = X @ m + b. With one feature, m is the tutorial's slope. Everything
here is plain numpy; nothing draws, nothing reads files.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from render.engine.history import History
from render.settings import DEFAULTS

#: A run is "healthy" when the last tenth of its steps removed less than this share of
#: the total drop in loss: the curve has flattened. Otherwise it is still "crawling".
FLAT_SHARE = 0.01


def standardize(values: np.ndarray) -> np.ndarray:
    """z-scores with the sample standard deviation (ddof=1), as the tutorial computes them."""
    values = np.asarray(values, dtype=float)
    return (values - values.mean(axis=0)) / values.std(axis=0, ddof=1)


def mse(X: np.ndarray, y: np.ndarray, m: np.ndarray, b: float) -> float:
    """Mean squared error of the line(s) y_hat = X @ m + b."""
    residual = _as_matrix(X) @ np.atleast_1d(m) + b - y
    return float(np.mean(residual * residual))


def descend(X, y, lr: float = DEFAULTS.lr, steps: int = DEFAULTS.steps, m0=DEFAULTS.m0,
            b0: float = DEFAULTS.b0) -> History:
    """Run ``steps`` steps of gradient descent from (m0, b0) and record every snapshot.

    Snapshot 0 is the start. The gradient of mean((X m + b - y)^2) is
    (2/n) X^T r for m and (2/n) sum(r) for b, with r the residuals. When the loss stops
    being finite the run ends there: that snapshot is kept (its loss is inf or nan) and
    ``History.diverged_at`` names its step. Overflow is expected then, so numpy is told
    not to warn about it.
    """
    X = _as_matrix(X)
    y = np.asarray(y, dtype=float)
    n, k = X.shape
    m = np.broadcast_to(np.asarray(m0, dtype=float), (k,)).copy()
    b = float(b0)

    ms = np.empty((steps + 1, k))
    bs = np.empty(steps + 1)
    losses = np.empty(steps + 1)
    last = steps
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps + 1):
            residual = X @ m + b - y
            loss = np.mean(residual * residual)
            ms[step], bs[step], losses[step] = m, b, loss
            if not np.isfinite(loss):
                last = step
                break
            if step < steps:
                m = m - lr * (2.0 / n) * (X.T @ residual)
                b = b - lr * (2.0 / n) * residual.sum()
    return History(lr=float(lr), m=ms[: last + 1], b=bs[: last + 1], loss=losses[: last + 1])


@dataclass(frozen=True)
class ClosedForm:
    """The least-squares answer descent should land on."""

    m: np.ndarray
    b: float
    loss: float


def closed_form(X, y) -> ClosedForm:
    """Least squares in one solve: numpy.polyfit for one feature, lstsq for more."""
    X = _as_matrix(X)
    y = np.asarray(y, dtype=float)
    if X.shape[1] == 1:
        m, b = np.polyfit(X[:, 0], y, 1)
        m = np.array([m])
    else:
        design = np.column_stack([X, np.ones(len(y))])
        solution = np.linalg.lstsq(design, y, rcond=None)[0]
        m, b = solution[:-1], solution[-1]
    return ClosedForm(m=m, b=float(b), loss=mse(X, y, m, float(b)))


#: Descent "landed" when it agrees with the closed form to the precision the summary prints.
LANDED_TOL = 5e-4


def gap_to_fit(run: History, fit: ClosedForm) -> float:
    """The largest difference between the run's last finite snapshot and the closed form."""
    last = run.finite
    return float(max(np.max(np.abs(last.m[-1] - fit.m)), abs(last.b[-1] - fit.b)))


def landed_on_fit(run: History, fit: ClosedForm) -> bool:
    """Whether the run's last snapshot agrees with the closed form to LANDED_TOL."""
    if run.diverged_at is not None:
        return False
    gap = gap_to_fit(run, fit)
    return bool(np.isfinite(gap) and gap < LANDED_TOL)


def loss_grid(x, y, M: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The one-feature MSE at every (m, b) of a grid, from the data's sums alone.

    mean((m x + b - y)^2) expands to m^2 <xx> + 2 m b <x> + b^2 - 2 m <xy> - 2 b <y> + <yy>
    (<.> a mean over teams), so a grid of any size costs six means, not a pass over the
    teams for every point.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xx, xs, xy, ys, yy = np.mean(x * x), np.mean(x), np.mean(x * y), np.mean(y), np.mean(y * y)
    return M * M * xx + 2 * M * B * xs + B * B - 2 * M * xy - 2 * B * ys + yy


def weights_grid(X, y, W1: np.ndarray, W2: np.ndarray, b: float) -> np.ndarray:
    """The two-feature MSE over a grid of the weights (w1, w2) with the intercept fixed at b."""
    X, y = _as_matrix(X), np.asarray(y, dtype=float) - b
    G = X.T @ X / len(y)
    c = X.T @ y / len(y)
    return G[0, 0] * W1 * W1 + 2 * G[0, 1] * W1 * W2 + G[1, 1] * W2 * W2 - 2 * (c[0] * W1 + c[1] * W2) + np.mean(y * y)


def hessian(X) -> np.ndarray:
    """Hessian of the MSE over (m..., b): constant, since the loss is quadratic."""
    X = _as_matrix(X)
    design = np.column_stack([X, np.ones(len(X))])
    return 2.0 / len(X) * design.T @ design


def classify(history: History) -> str:
    """Call a run exploding, healthy or crawling from its recorded losses alone.

    - exploding: the loss overflowed, or ended above where it started;
    - healthy: the last tenth of the steps removed under FLAT_SHARE of the total drop;
    - crawling: still falling at a real rate when the steps ran out.
    """
    loss = history.loss
    if history.diverged_at is not None or loss[-1] > loss[0]:
        return "exploding"
    drop = loss[0] - loss[-1]
    if drop <= 0:
        return "healthy"  # started at the minimum: nothing left to learn
    tail = max(1, (len(loss) - 1) // 10)
    recent = loss[-1 - tail] - loss[-1]
    return "healthy" if recent < FLAT_SHARE * drop else "crawling"


#: A loss curve counts as flat once it is within this share of its start-to-minimum drop
#: (not FLAT_SHARE, which judges a run's last tenth of steps).
NEAR_MINIMUM_SHARE = 0.01


def flat_from(loss: np.ndarray, minimum: float) -> int | None:
    """First step from which the loss stays within NEAR_MINIMUM_SHARE of the drop above the minimum."""
    excess = loss - minimum
    near = excess <= NEAR_MINIMUM_SHARE * (loss[0] - minimum)
    if not near[-1]:
        return None
    far = np.flatnonzero(~near)
    return int(far[-1] + 1) if far.size else 0


def landing_step(slope) -> int:
    """The first step from which the slope stays within 0.01 of where it ends."""
    far = np.flatnonzero(np.abs(slope - slope[-1]) > 0.01)
    return int(far[-1] + 1) if far.size else 0


def condition_number(x) -> float:
    """Largest over smallest eigenvalue of the loss's Hessian: 1 is a round bowl."""
    eigenvalues = np.linalg.eigvalsh(hessian(x))
    return float(eigenvalues.max() / eigenvalues.min())


def _as_matrix(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return X[:, None] if X.ndim == 1 else X
