"""Pieces two or more scenes draw the same way: the team scatter and a line across it."""
from __future__ import annotations

import numpy as np

from render import palette
from render.lesson import Lesson

#: Margins of the scatter panel in figure fractions, fixed so frames never change layout.
SCATTER_MARGINS = dict(left=0.1, right=0.9, bottom=0.16, top=0.84)


def limits(values: np.ndarray, pad: float = 0.12) -> tuple[float, float]:
    """Axis limits from the data with a margin, the same in every frame."""
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo
    return lo - pad * span, hi + pad * span


def team_axes(fig, lesson: Lesson, rect=None, real_units: bool = True):
    """Axes with the teams in z-scores; real units (runs, wins) on the top and right axes."""
    ax = fig.add_axes(rect) if rect else fig.add_subplot()
    ax.scatter(lesson.x, lesson.y, s=26, color=palette.TEAMS, edgecolor="white", linewidth=0.6, zorder=2,
               label=f"{lesson.data.n} teams")
    ax.set_xlim(limits(lesson.x))
    ax.set_ylim(limits(lesson.y))
    ax.set_xlabel("run differential (z-score)")
    ax.set_ylabel("wins (z-score)")
    if real_units:
        rd_mean, rd_sd = float(lesson.data.run_diff.mean()), lesson.runs_per_z
        w_mean, w_sd = float(lesson.data.wins.mean()), lesson.wins_per_z
        top = ax.secondary_xaxis("top", functions=(lambda z: z * rd_sd + rd_mean, lambda r: (r - rd_mean) / rd_sd))
        top.set_xlabel("run differential (runs)", color=palette.MUTED, fontsize=9.5)
        top.tick_params(labelsize=9, colors=palette.MUTED)
        right = ax.secondary_yaxis("right", functions=(lambda z: z * w_sd + w_mean, lambda w: (w - w_mean) / w_sd))
        right.set_ylabel("wins", color=palette.MUTED, fontsize=9.5)
        right.tick_params(labelsize=9, colors=palette.MUTED)
    return ax


def line_points(ax, m: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Ends of the line y = m x + b across the axes' fixed x range."""
    x = np.array(ax.get_xlim())
    with np.errstate(over="ignore", invalid="ignore"):
        return x, m * x + b


def in_view(ax, m: float, b: float) -> bool:
    """Whether any part of the line crosses the visible panel."""
    x, y = line_points(ax, m, b)
    lo, hi = ax.get_ylim()
    if not np.all(np.isfinite(y)):
        return False
    return not (y.max() < lo or y.min() > hi)
