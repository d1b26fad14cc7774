"""The one home of every default: a build's settings (DATA, LR, STEPS, M0, B0, RATES), the
themes it draws (THEMES) and where it writes (OUT). The command line, the engine and the
Makefile (through render/makevars.py) read them here; no other file writes a default.

It imports nothing but the standard library: Make reads it with the system Python, before
any virtual environment exists.
"""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Settings:
    """The settings of one build's recorded runs: a value here is that setting's default."""

    data: str = "data/sample_standings.csv"  # from the project root: the bundled 2023 season
    lr: float = 0.1  # the tutorial's rate: the run the single-run scenes show
    steps: int = 200
    m0: float = 0.0  # the start: a flat line
    b0: float = 0.0
    rates: tuple[float, ...] = (0.001, 0.1, 1.5)  # more rates to record: crawling, healthy, exploding

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


DEFAULTS = Settings()
#: Where a build writes its files, from the project root.
OUT = "output"
#: The themes a build draws; empty: every theme (render/draw/palette.py).
THEMES: tuple[str, ...] = ()
#: Where `make serve` listens, on 127.0.0.1 (0: any free port). Not a build setting: it
#: changes no asset.
PORT = 8000


def defaults() -> dict[str, object]:
    """Every default by its Make name (DATA, LR, ..., THEMES, OUT), in the command line's order."""
    named = {f.name.upper(): getattr(DEFAULTS, f.name) for f in fields(Settings)}
    return {**named, "THEMES": THEMES, "OUT": OUT}
