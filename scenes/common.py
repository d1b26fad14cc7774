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


def visible_segment(m: float, b: float, xlim, ylim) -> np.ndarray | None:
    """The part of y = m x + b inside the panel, as two points in panel units (0..1), or None.

    Works from the four edges, so a nearly vertical line (huge m, as in an exploding run)
    is found where it really crosses the panel, without overflow.
    """
    (x0, x1), (y0, y1) = xlim, ylim
    if not (np.isfinite(m) and np.isfinite(b)):
        return None
    points = []
    with np.errstate(over="ignore", invalid="ignore"):
        for x in (x0, x1):
            y = m * x + b
            if y0 <= y <= y1:
                points.append((x, y))
        if m != 0:
            for y in (y0, y1):
                x = (y - b) / m
                if x0 <= x <= x1:
                    points.append((x, y))
    if not points:
        return None
    points.sort()
    ends = np.array([points[0], points[-1]], dtype=float)
    return (ends - [x0, y0]) / [x1 - x0, y1 - y0]


def visual_travel(m: np.ndarray, b: np.ndarray, xlim, ylim) -> np.ndarray:
    """How far the drawn line has moved by each step, from step 0, in panel units.

    The distance between two drawn lines is how far their ends moved (the smaller of the
    two pairings); a line entering or leaving the panel counts as one panel. Lines that
    look the same (say, two nearly vertical ones) count as no motion at all, which is what
    an animation should spend no frames on.
    """
    segments = [visible_segment(mi, bi, xlim, ylim) for mi, bi in zip(m, b)]
    moved = [0.0]
    for a, c in zip(segments, segments[1:]):
        if a is None or c is None:
            moved.append(0.0 if a is None and c is None else 1.0)
        else:
            straight = np.abs(a - c).max()
            crossed = np.abs(a - c[::-1]).max()
            moved.append(float(min(straight, crossed)))
    return np.cumsum(moved)


def in_view(ax, m: float, b: float) -> bool:
    """Whether any part of the line crosses the visible panel."""
    return visible_segment(m, b, ax.get_xlim(), ax.get_ylim()) is not None
