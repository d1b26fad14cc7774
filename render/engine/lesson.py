"""What every scene sees: the season's data in z-scores and the recorded descent runs."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from render.engine.data import Standings
from render.engine.descent import ClosedForm, closed_form
from render.engine.history import History, pick
from render.engine.problems import line


@dataclass(frozen=True)
class Lesson:
    """The data and histories of one build. Scenes read it; they never run descent."""

    data: Standings
    histories: tuple[History, ...]
    lr: float  # the tutorial's learning rate: the run the single-run scenes show

    @property
    def x(self) -> np.ndarray:
        """Run differential in z-scores."""
        return self._line[0]

    @property
    def y(self) -> np.ndarray:
        """Wins in z-scores."""
        return self._line[1]

    @cached_property
    def _line(self) -> tuple[np.ndarray, np.ndarray]:
        return line(self.data)

    @property
    def run(self) -> History:
        return pick(list(self.histories), self.lr)

    @property
    def rates(self) -> tuple[float, ...]:
        return tuple(h.lr for h in self.histories)

    @cached_property
    def fit(self) -> ClosedForm:
        return closed_form(self.x, self.y)

    @property
    def wins_per_z(self) -> float:
        """Standard deviation of wins: one z-score of wins in wins."""
        return float(self.data.wins.std(ddof=1))

    @property
    def runs_per_z(self) -> float:
        """Standard deviation of run differential: one z-score in runs."""
        return float(self.data.run_diff.std(ddof=1))

    def wins_per_run(self, slope: float) -> float:
        """A standardized slope in real units: wins per run of differential."""
        return slope * self.wins_per_z / self.runs_per_z
