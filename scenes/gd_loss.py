"""The loss curve of the tutorial's run, step against mean squared error, into output/gd_loss.png."""
import numpy as np

from render.draw import frames
from render.engine.descent import NEAR_MINIMUM_SHARE, classify, flat_from
from render.numbers import fixed, rate
from scenes import common
from scenes.common import Column

LEFT = 0.12  # the plot's left edge, in figure fractions


def still(lesson, pen):
    theme = pen.theme
    run, fit = lesson.run, lesson.fit
    shown = run.finite
    steps = len(run.loss) - 1
    flat = flat_from(shown.loss, fit.loss) if run.diverged_at is None else None
    # Show the curve up to a little past where it flattens: the rest is a flat line.
    end = len(shown.loss) - 1 if flat is None else min(len(shown.loss) - 1, max(20, int(flat * 2.5)))

    heading = {"healthy": "The loss falls, then flattens",
               "crawling": f"The loss crawls: still falling after {steps} steps",
               "exploding": "The loss explodes"}[classify(run)]
    if pen.phone:  # the curve, then its legend and notes under it
        col = Column(pen, left=66)
        col.heading(heading)
        plot = col.panel(260)
        col.room(50)
        below = col.room(200)
        fig, rects = col.figure()
        ax = fig.add_axes(rects[plot])
    else:
        fig = pen.figure()
        fig.subplots_adjust(left=LEFT, right=0.95, bottom=0.19, top=0.86)
        ax = fig.add_subplot()
    exploding = classify(run) == "exploding"
    scale = common.loss_axis(ax, shown.loss, fit.loss, exploding)
    ax.plot(shown.steps[: end + 1], scale(shown.loss[: end + 1]), color=theme.rate_colour(run.lr, lesson.rates),
            marker="o" if end <= 60 else None, markersize=3.2, label=f"gradient descent, lr {rate(run.lr)}")
    ax.axhline(scale(fit.loss), color=theme.minimum, linestyle="--", linewidth=1.4,
               label=f"closed-form minimum {fixed(fit.loss, 4)}")
    span = max(end, 1)  # a run that overflows at step 1 has one point to show
    ax.set_xlim(-0.02 * span, span * 1.02)
    ax.set_xlabel("step")
    ax.set_ylabel("mean squared error" + ("" if pen.phone else " (z-score units²)"))
    if flat is not None:
        ax.axvline(flat, color=theme.muted, linestyle=":", linewidth=1.2)
    notes = _notes(run, fit, shown, flat, end, steps, exploding)
    if pen.phone:
        common.few_ticks(ax, "xy" if not exploding else "x")
        col.legend(fig, *ax.get_legend_handles_labels(), below)
        col.note(fig, "\n".join(notes), below + 56, color=theme.text)
    else:
        _annotate(ax, run, shown, flat, end, scale, exploding, notes, theme)
    common.title(fig, heading, left=LEFT, pen=pen)
    pen.credit_line(fig)
    yield frames.capture(fig)


def _notes(run, fit, shown, flat, end, steps, exploding) -> list[str]:
    """What the curve shows, in words: where it starts, where it flattens, where it ends."""
    notes = [f"start: {fixed(run.loss[0], 4)}"]
    if flat is not None:
        notes.append(f"flat from step {flat} (within {NEAR_MINIMUM_SHARE:.0%} of the minimum)")
    if exploding:
        notes.append(f"diverged at step {run.diverged_at}: the loss overflowed "
                     f"(last finite loss {fixed(shown.loss[-1], 4)} at step {len(shown.loss) - 1})"
                     if run.diverged_at is not None else f"after {steps} steps: {fixed(run.loss[-1], 4)}")
    else:
        notes.append(f"after {steps} steps: {fixed(run.loss[-1], 4)}")
        if end < steps:
            notes.append(f"(steps {end + 1}-{steps} not shown: loss moves {float(np.ptp(shown.loss[end:])):.1e} more)")
    return notes


def _annotate(ax, run, shown, flat, end, scale, exploding, notes, theme) -> None:
    """The notes on the plot, each beside what it says (the desktop layout has the room)."""
    ax.annotate(notes[0], (0, scale(run.loss[0])), xytext=(10, 10 if exploding else 0),
                textcoords="offset points", va="center", fontsize=10, color=theme.text)
    if flat is not None:
        ax.annotate(notes[1].replace(" (", "\n("), (flat, scale(shown.loss[0]) * 0.55),
                    xytext=(8, 0), textcoords="offset points", fontsize=9.5, color=theme.text, va="center")
    last = notes[2 if flat is not None else 1:]
    if exploding:
        # The curve runs from bottom left to top right: notes go bottom right, legend top left.
        ax.text(0.98, 0.12, last[0].replace(" (", "\n("), transform=ax.transAxes, ha="right", va="bottom",
                fontsize=10, color=theme.text)
        ax.legend(loc="upper left", fontsize=9.5)
        return
    # Above a flat tail; below a curve that is still falling, where it has not been.
    crawling = flat is None
    ax.annotate("\n".join(last), (end, scale(shown.loss[end])), xytext=(-4, -14 if crawling else 28),
                textcoords="offset points", ha="right", va="top" if crawling else "baseline",
                fontsize=10, color=theme.text)
    ax.legend(loc="upper right", bbox_to_anchor=(1, 0.82), fontsize=9.5)


def words(lesson, kind):
    """Alt text and caption, from the run."""
    run, fit = lesson.run, lesson.fit
    steps, start = len(run.loss) - 1, fixed(run.loss[0], 4)
    verdict = classify(run)
    if verdict == "exploding":
        end = (f"overflows at step {run.diverged_at}" if run.diverged_at is not None
               else f"reaches {fixed(run.loss[-1], 2)} after {steps} steps")
        caption = f"With learning rate {rate(run.lr)} the mean squared error explodes: from {start} it {end}."
        alt = (f"Loss curve on a logarithmic axis for learning rate {rate(run.lr)}: the mean squared error rises "
               f"in a straight line from {start} and {end}, far above the closed-form minimum "
               f"{fixed(fit.loss, 4)}.")
        return alt, caption
    end = fixed(run.loss[-1], 4)
    flat = flat_from(run.loss, fit.loss)
    if flat is None:
        caption = (f"Mean squared error falls from {start} to {end} over {steps} steps of gradient descent "
                   f"with learning rate {rate(run.lr)}, and is still falling.")
    else:
        caption = f"Mean squared error falls from {start} to {end} over {steps} steps of gradient descent, then flattens."
    alt = (f"Line chart of mean squared error against step for learning rate {rate(run.lr)}: it falls from {start} "
           f"to {end} after {steps} steps"
           + (f", within {NEAR_MINIMUM_SHARE:.0%} of the closed-form minimum {fixed(fit.loss, 4)} from step {flat} on."
              if flat is not None else f", still above the closed-form minimum {fixed(fit.loss, 4)}."))
    return alt, caption
