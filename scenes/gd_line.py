"""The line rotating into place over the teams as descent runs, into output/gd_line.gif."""
from render import frames, palette
from render.descent import classify
from render.numbers import fixed, rate
from scenes.common import (LAST_HOLD_MS, SCATTER_MARGINS, delays, frame_steps, in_view, line_points,
                           team_axes, visual_travel)

TITLES = {
    "healthy": "Gradient descent rotates the line into place",
    "crawling": "With lr {lr} the line crawls toward its place",
    "exploding": "With lr {lr} the line swings ever more wildly",
}


def animation(lesson):
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
    (line,) = ax.plot([], [], color=palette.rate_colour(run.lr, lesson.rates), linewidth=2.6, zorder=3, label="descent's line")
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
