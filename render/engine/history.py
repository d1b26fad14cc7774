"""History: the (m, b, loss) snapshot of every step of one descent run, and its CSV form.

output/history.csv is long format, one row per (lr, step): ``lr,step,m,b,loss`` (with
m1, m2, ... for more than one feature). Floats are written with 17 significant digits,
which reads back bit for bit.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

FLOAT = "{:.16e}"


@dataclass(frozen=True)
class History:
    """Snapshots of one run: row ``step`` of m, b and loss is the state after that many steps."""

    lr: float
    m: np.ndarray  # (steps + 1, features)
    b: np.ndarray  # (steps + 1,)
    loss: np.ndarray  # (steps + 1,)

    @property
    def steps(self) -> np.ndarray:
        return np.arange(len(self.loss))

    @property
    def slope(self) -> np.ndarray:
        """m of the one-feature line, per step."""
        return self.m[:, 0]

    @property
    def diverged_at(self) -> int | None:
        """The step whose loss was no longer finite (the run's last), or None."""
        bad = np.flatnonzero(~np.isfinite(self.loss))
        return int(bad[0]) if bad.size else None

    @property
    def finite(self) -> "History":
        """The snapshots before divergence: what a picture can draw."""
        end = self.diverged_at
        if end is None:
            return self
        return History(self.lr, self.m[:end], self.b[:end], self.loss[:end])

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, History)
            and self.lr == other.lr
            and all(np.array_equal(a, c, equal_nan=True) for a, c in
                    ((self.m, other.m), (self.b, other.b), (self.loss, other.loss)))
        )


def to_csv(histories: list[History]) -> str:
    """All runs as one long table, runs in the given order, steps ascending."""
    k = histories[0].m.shape[1]
    weights = ["m"] if k == 1 else [f"m{j + 1}" for j in range(k)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lr", "step", *weights, "b", "loss"])
    for h in histories:
        lr = FLOAT.format(h.lr)
        for step in range(len(h.loss)):
            writer.writerow([lr, step, *(FLOAT.format(v) for v in h.m[step]),
                             FLOAT.format(h.b[step]), FLOAT.format(h.loss[step])])
    return out.getvalue()


def from_csv(text: str) -> list[History]:
    """Inverse of to_csv."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValueError("empty history")
    header, body = rows[0], rows[1:]
    weight_cols = [i for i, name in enumerate(header) if name == "m" or name.startswith("m") and name[1:].isdigit()]
    b_col, loss_col = header.index("b"), header.index("loss")
    runs: dict[str, list[list[str]]] = {}
    for row in body:
        runs.setdefault(row[0], []).append(row)
    histories = []
    for lr, rows in runs.items():
        histories.append(History(
            lr=float(lr),
            m=np.array([[float(r[i]) for i in weight_cols] for r in rows]),
            b=np.array([float(r[b_col]) for r in rows]),
            loss=np.array([float(r[loss_col]) for r in rows]),
        ))
    return histories


def pick(histories: list[History], lr: float) -> History:
    """The run made with learning rate ``lr``."""
    for h in histories:
        if h.lr == lr:
            return h
    raise KeyError(f"no run with lr {lr:g} in the history (runs: {', '.join(f'{h.lr:g}' for h in histories)})")
