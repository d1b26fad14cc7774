"""The three fitting problems the scenes draw, and the descent runs recorded for each.

- ``line``: the tutorial's line, wins from run differential, both in z-scores; one run
  per learning rate the scenes compare.
- ``scaling``: the same line fitted in z-scores and in raw units (runs, wins), each at
  the largest rate that never overshoots on its own bowl, from the same starting line.
- ``two_features``: wins from runs scored and runs allowed, all in z-scores.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from render.engine.data import Standings
from render.engine.descent import descend, hessian, standardize
from render.engine.history import History
from render.errors import InputError
from render.settings import Settings, affecting


@dataclass(frozen=True)
class Problem:
    name: str
    file: str  # where its runs are recorded, inside the output folder
    weights: int  # features per run: m has this many columns

    @property
    def settings(self) -> tuple[str, ...]:
        """The settings its runs depend on, besides the data: the rows of the settings
        table that name it (render/settings.py)."""
        return affecting(self.name)


#: Every rate is recorded for the line and the two features, so each rate keeps one
#: colour in every scene; the scaling runs use fixed rates and a fixed start (the
#: settings table says which settings each problem's runs depend on).
PROBLEMS = {p.name: p for p in (
    Problem("line", "history.csv", 1),
    Problem("scaling", "history_scaling.csv", 1),
    Problem("two_features", "history_two_features.csv", 2),
)}
NAMES = tuple(PROBLEMS)

#: The scaling comparison starts both runs from this line, given in z-scores (slope -1,
#: intercept 1.5 sd): off both axes, so each bowl's shape shows in its path.
SCALING_START = (-1.0, 1.5)


def line(standings: Standings) -> tuple[np.ndarray, np.ndarray]:
    return standardize(standings.run_diff), standardize(standings.wins)


def raw_line(standings: Standings) -> tuple[np.ndarray, np.ndarray]:
    return standings.run_diff.astype(float), standings.wins.astype(float)


def two_features(standings: Standings) -> tuple[np.ndarray, np.ndarray]:
    if standings.runs_scored is None or standings.runs_allowed is None:
        missing = " and ".join(c for c, v in (("RS", standings.runs_scored), ("RA", standings.runs_allowed)) if v is None)
        raise InputError(standings.source, f"no {missing} column: the two-feature scene needs runs scored and allowed")
    X = np.column_stack([standings.runs_scored, standings.runs_allowed])
    if np.any(X.std(axis=0) == 0):
        raise InputError(standings.source, "RS or RA has the same value for every team; two features need spread")
    return standardize(X), standardize(standings.wins)


def monotone_rate(X) -> float:
    """1 / (largest Hessian eigenvalue): the largest rate at which no direction overshoots."""
    return float(1.0 / np.linalg.eigvalsh(hessian(X)).max())


def raw_start(standings: Standings, m_z: float, b_z: float) -> tuple[float, float]:
    """The line (m_z, b_z) given in z-scores, expressed in runs and wins."""
    rd, w = standings.run_diff, standings.wins
    m = m_z * w.std(ddof=1) / rd.std(ddof=1)
    return m, float(w.mean() + b_z * w.std(ddof=1) - m * rd.mean())


def runs(problem: str, standings: Standings, settings: Settings) -> list[History]:
    """Every run recorded for ``problem``, in a fixed order.

    A start so far out that its loss overflows is refused: there is no path to draw.
    """
    histories = _runs(problem, standings, settings.recorded_rates, settings.steps, settings.m0, settings.b0)
    for h in histories:
        if h.diverged_at == 0:
            raise InputError(f"start point m0={settings.m0:g}, b0={settings.b0:g}",
                             "the loss there overflows; start closer to 0")
    return histories


def _runs(problem: str, standings: Standings, rates, steps: int, m0: float, b0: float) -> list[History]:
    if problem == "line":
        x, y = line(standings)
        return [descend(x, y, lr, steps, m0, b0) for lr in rates]
    if problem == "scaling":
        xz, yz = line(standings)
        xr, yr = raw_line(standings)
        return [descend(xz, yz, monotone_rate(xz), steps, *SCALING_START),
                descend(xr, yr, monotone_rate(xr), steps, *raw_start(standings, *SCALING_START))]
    if problem == "two_features":
        X, y = two_features(standings)
        return [descend(X, y, lr, steps, m0, b0) for lr in rates]
    raise ValueError(f"unknown problem {problem!r}")
