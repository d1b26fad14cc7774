"""The line rotating into place over the teams as descent runs, into output/gd_line.gif."""
import numpy as np

from render import frames, palette
from render.descent import classify
from render.numbers import fixed, rate
from scenes.common import SCATTER_MARGINS, in_view, line_points, team_axes, visual_travel

KIND = "animation"

#: The path from start to landing is cut into this many equal lengths; a frame is drawn
#: each time the line has travelled one of them.
MOVING_FRAMES = 60
#: A frame's delay grows with how far the line moved since the last frame (one step can
#: move it many lengths at the start), so the eye can follow each early step.
FRAME_MS = 60
MAX_FRAME_MS = 400
FIRST_HOLD_MS = 1000
LAST_HOLD_MS = 2500

TITLES = {
    "healthy": "Gradient descent rotates the line into place",
    "crawling": "With lr {lr} the line crawls toward its place",
    "exploding": "With lr {lr} the line swings ever more wildly",
}


def frame_steps(path: np.ndarray, moving_frames: int = MOVING_FRAMES) -> list[int]:
    """Steps to draw, spaced evenly along the line's visible ``path`` rather than in steps.

    ``path`` is scenes.common.visual_travel: how far the drawn line has moved by each step.
    With lr 0.1 the line is nearly in place after about 15 of 200 steps; even spacing in
    steps would spend most frames on a still picture. A frame is drawn whenever the line
    has moved one length (path / moving_frames) since the last; once less than a quarter
    length remains, the run jumps to its last step, which is held.
    """
    total, last = path[-1], len(path) - 1
    if last == 0:
        return [0]
    if total == 0 or not np.isfinite(total):
        return [0, last]
    length = total / moving_frames
    chosen = [0]
    for step in range(1, last):
        if total - path[step] < length / 4:
            break
        if path[step] - path[chosen[-1]] >= length:
            chosen.append(step)
    chosen.append(last)
    return chosen


def delays(path: np.ndarray, steps: list[int], moving_frames: int = MOVING_FRAMES) -> list[int]:
    """Hold the start and the end; in between, longer for frames where the line jumped far."""
    if len(steps) == 1:
        return [LAST_HOLD_MS]
    length = path[-1] / moving_frames if np.isfinite(path[-1]) and path[-1] > 0 else 1.0
    moved = np.diff(path[steps]) / length
    middle = [int(np.clip(round(FRAME_MS * min(x, 1e6) / 10) * 10, FRAME_MS, MAX_FRAME_MS)) if np.isfinite(x)
              else MAX_FRAME_MS for x in moved[:-1]]
    return [FIRST_HOLD_MS] + middle + [LAST_HOLD_MS]


def draw(lesson):
    run = lesson.run.finite
    kind = classify(lesson.run)
    fig = frames.figure()
    fig.subplots_adjust(**SCATTER_MARGINS)
    ax = team_axes(fig, lesson)
    path = visual_travel(run.slope, run.b, ax.get_xlim(), ax.get_ylim())
    steps = frame_steps(path)
    fit = lesson.fit
    ax.plot(*line_points(ax, fit.m[0], fit.b), color=palette.CLOSED_FORM, linewidth=1.6, linestyle="--",
            zorder=1, label=f"closed-form line (m = {fixed(fit.m[0])})")
    (line,) = ax.plot([], [], color=palette.LEARNED, linewidth=2.6, zorder=3, label="descent's line")
    ax.legend(loc="lower right", fontsize=9)
    fig.suptitle(TITLES[kind].format(lr=rate(run.lr)), x=0.1, y=0.985, ha="left", fontsize=13, fontweight="bold")
    readout = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", ha="left", fontsize=10.5,
                      family="DejaVu Sans Mono", color=palette.TEXT,
                      bbox=dict(boxstyle="round,pad=0.35", facecolor="white", edgecolor="#dddddd", alpha=0.92))
    gone = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=11, color=palette.TEXT)
    frames.add_credit(fig, lesson.data.credit)

    for step, delay in zip(steps, delays(path, steps)):
        m, b = run.slope[step], run.b[step]
        line.set_data(*line_points(ax, m, b))
        readout.set_text(f"step {step:>{len(str(steps[-1]))}}   lr {rate(run.lr)}\n"
                         f"m    = {fixed(m)}\nb    = {fixed(b)}\nloss = {fixed(run.loss[step], 4)}")
        gone.set_text("" if in_view(ax, m, b) else f"the line has left the panel (m = {fixed(m)})")
        yield frames.capture(fig, delay)
    if lesson.run.diverged_at is not None:
        gone.set_text(f"diverged at step {lesson.run.diverged_at}: the loss overflowed")
        yield frames.capture(fig, LAST_HOLD_MS)
