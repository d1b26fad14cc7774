"""The line rotating into place over the teams as descent runs, into output/gd_line.gif."""
import numpy as np

from render.draw import frames
from render.engine.descent import classify, landed_on_fit, landing_step
from render.numbers import fixed, rate
from scenes.common import (LAST_HOLD_MS, SCATTER_MARGINS, delays, frame_steps, in_view, line_points, phone_scatter,
                           row, team_axes, title, visual_travel)

TITLES = {
    "healthy": "Gradient descent rotates the line into place",
    "crawling": "With lr {lr} the line crawls toward its place",
    "exploding": "With lr {lr} the line swings ever more wildly",
}


def animation(lesson, pen):
    theme = pen.theme
    run = lesson.run.finite
    verdict = classify(lesson.run)
    heading = TITLES[verdict].format(lr=rate(run.lr))
    if pen.phone:  # the scatter with its readout, then the legend under it
        col, fig, ax, _, legend_top = phone_scatter(pen, lesson, heading, 300, 64)
    else:
        fig = pen.figure()
        fig.subplots_adjust(**SCATTER_MARGINS)
        ax = team_axes(fig, lesson, theme)
    path = visual_travel(run.slope, run.b, ax.get_xlim(), ax.get_ylim())
    steps = frame_steps(path)
    fit = lesson.fit
    ax.plot(*line_points(ax, fit.m[0], fit.b), color=theme.closed_form, linewidth=1.6, linestyle="--",
            zorder=1, label=f"closed-form line (m = {fixed(fit.m[0])})")
    (line,) = ax.plot([], [], color=theme.rate_colour(run.lr, lesson.rates), linewidth=2.6, zorder=3, label="descent's line")
    if pen.phone:
        col.legend(fig, *ax.get_legend_handles_labels(), legend_top)
    else:
        ax.legend(loc="lower right", fontsize=9)
    title(fig, heading, left=SCATTER_MARGINS["left"], top_axis=True, pen=pen)
    # The readout is a fixed card (labels and box) with the numbers typed into it: only the
    # numbers are drawn each frame. The font is monospaced and each number keeps one width
    # in every frame, so card and numbers overlay exactly as one text would.
    readouts = [readout(run, step, steps[-1]) for step in steps]
    # Each piece's width: its widest over all frames.
    widths = [np.max([[len(text) for text, _ in r[i]] for r in readouts], axis=0) for i in range(len(readouts[0]))]
    mono = dict(transform=ax.transAxes, va="top", ha="left", fontsize=pen.pt(10.5), family="DejaVu Sans Mono",
                color=theme.text)
    ax.text(0.02, 0.97, _typed(readouts[0], widths, numbers=False), **mono,
            bbox=dict(boxstyle="round,pad=0.35", facecolor=theme.card, edgecolor=theme.card_edge, alpha=0.92))
    numbers = ax.text(0.02, 0.97, "", **mono)
    gone = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=pen.pt(11),
                   color=theme.text, wrap=pen.phone)
    pen.credit_line(fig)
    blit = frames.Blit(fig, [line, numbers, gone])

    total = len(lesson.run.loss) - 1
    for step, delay, lines in zip(steps, delays(path, steps), readouts):
        m, b = run.slope[step], run.b[step]
        line.set_data(*line_points(ax, m, b))
        numbers.set_text(_typed(lines, widths, numbers=True))
        gone.set_text("" if in_view(ax, m, b) else f"the line has left{pen.br}the panel "
                      f"(m = {fixed(m)})")
        yield blit.capture(delay, f"step {step} of {total}, loss {fixed(run.loss[step], 4)}", step,
                           row(step, m, b, run.loss[step]))
    if lesson.run.diverged_at is not None:
        gone.set_text(f"diverged at step {lesson.run.diverged_at}:{pen.br}the loss overflowed")
        step = lesson.run.diverged_at
        yield blit.capture(LAST_HOLD_MS, f"step {step} of {total}, the loss overflowed", step,
                           (("step", str(step)), ("m", "overflowed"), ("b", "overflowed"), ("loss", "overflowed")))


def readout(run, step: int, last_step: int) -> list[list[tuple[str, bool]]]:
    """The readout at ``step``: its lines, each as (text, is a number) pieces."""
    return [[("step ", False), (f"{step:>{len(str(last_step))}}", True), (f"   lr {rate(run.lr)}", False)],
            [("m    = ", False), (fixed(run.slope[step]), True)],
            [("b    = ", False), (fixed(run.b[step]), True)],
            [("loss = ", False), (fixed(run.loss[step], 4), True)]]


def _typed(lines, widths, numbers: bool) -> str:
    """The numbers alone (numbers=True) or the labels alone, the other part as spaces, each
    piece padded to its width so every column stays put."""
    out = []
    for pieces, piece_widths in zip(lines, widths):
        text = "".join(t.ljust(w) if is_number == numbers else " " * w for (t, is_number), w in zip(pieces, piece_widths))
        # Spaces after a line's last number would only be drawn as blank glyphs; the
        # labels keep theirs, which size the card's box for the widest numbers.
        out.append(text.rstrip() if numbers else text)
    return "\n".join(out)


def words(lesson, kind):
    """Alt text and caption, from the run."""
    whole = lesson.run
    run = whole.finite
    steps = len(whole.loss) - 1
    m0, b0, m1 = run.slope[0], run.b[0], run.slope[-1]
    verdict = classify(whole)
    if verdict == "exploding":
        caption = (f"With learning rate {rate(run.lr)} the line starts at slope {fixed(m0)} and swings ever more "
                   f"wildly, reaching slope {fixed(m1)} "
                   + (f"before the loss overflows at step {whole.diverged_at}." if whole.diverged_at is not None
                      else f"after {steps} steps."))
        alt = (f"Animation over a scatter of {lesson.data.n} teams: a line flips back and forth ever more steeply "
               f"with each step of gradient descent at learning rate {rate(run.lr)} until it is nearly vertical.")
        return alt, caption
    landed = landing_step(run.slope)
    caption = (f"The line starts at slope {fixed(m0)}, intercept {fixed(b0)}, and rotates to slope {fixed(m1)} "
               f"by step {landed}; after {steps} steps it "
               + ("matches the least-squares line." if landed_on_fit(whole, lesson.fit)
                  else f"is still short of the least-squares slope {fixed(lesson.fit.m[0])}."))
    alt = (f"Animation over a scatter of {lesson.data.n} teams, standardized run differential against wins: a line "
           f"starts at slope {fixed(m0)} and turns step by step to slope {fixed(m1)} by step {landed}, "
           f"the loss falling from {fixed(run.loss[0], 4)} to {fixed(run.loss[-1], 4)}; it then holds at step {steps}.")
    return alt, caption
