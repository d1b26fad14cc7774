"""The settings of one build (DATA, LR, STEPS, M0, B0, RATES), and the text that names
the ones each recorded run depends on, hashed into every asset's inputs."""
from __future__ import annotations

from dataclasses import dataclass

from render.descent import LR, STEPS

#: The rates the comparison scenes show by default: crawling, healthy, exploding.
RATES = (0.001, 0.1, 1.5)


@dataclass(frozen=True)
class Settings:
    data: str
    lr: float = LR
    steps: int = STEPS
    m0: float = 0.0
    b0: float = 0.0
    rates: tuple[float, ...] = RATES  # more rates to record beside lr

    @property
    def recorded_rates(self) -> list[float]:
        """Every rate a comparison scene may show, smallest first; lr is always one."""
        return sorted(set(self.rates) | {self.lr})

    def text(self, names) -> str:
        """``lr=0.1 steps=200 ...`` for the named settings, written from the values, so
        that 0.1 and 0.10 name the same run."""
        values = {"lr": repr(self.lr), "steps": str(self.steps), "m0": repr(self.m0), "b0": repr(self.b0),
                  "rates": ",".join(map(repr, self.recorded_rates))}
        return " ".join(f"{name}={values[name]}" for name in names)
