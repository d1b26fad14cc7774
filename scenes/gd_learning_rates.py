"""Three learning rates side by side: their loss curves into output/gd_learning_rates.png, and
their lines stepping together over the teams into output/gd_learning_rates.gif."""
import numpy as np

from render.draw import frames
from render.engine.descent import classify
from render.numbers import fixed, rate
from scenes.common import (Column, decades_axis, delays, few_ticks, frame_steps, in_view, line_points, limits,
                           title, visual_travel)

#: The linear panel shows losses up to this multiple of the start loss; anything above
#: goes to the log panel on top.
LINEAR_TOP = 1.1
#: Left edges, in figure fractions: of the loss plot, and of the first of the line panels.
LEFT = 0.12
PANELS_LEFT = 0.06


def growth_per_step(loss: np.ndarray) -> float:
    """How many times the loss multiplies per step at the end of an exploding run."""
    finite = loss[np.isfinite(loss)]
    tail = finite[-min(10, len(finite) - 1):]
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.median(tail[1:] / tail[:-1])) if len(tail) > 1 else float("nan")


def verdict(run) -> str:
    called = classify(run)
    if called != "exploding":
        return called
    if run.diverged_at is not None:
        return f"exploding: overflowed at step {run.diverged_at}"
    return f"exploding: loss ×{growth_per_step(run.loss):.1f} per step"


def still(lesson, pen):
    theme = pen.theme
    runs = lesson.histories
    fit = lesson.fit
    start = max(float(r.loss[0]) for r in runs)
    linear_top = LINEAR_TOP * start
    peak = max(float(r.finite.loss.max()) for r in runs)
    broken = peak > linear_top
    steps = max(len(r.loss) for r in runs) - 1

    heading = f"{len(runs)} learning rates, {steps} steps each"
    if pen.phone:  # the plot (log panel over linear), then the rates and their verdicts under it
        col = Column(pen, left=66)
        col.heading(heading)
        upper = col.panel(110) if broken else None
        if broken:
            col.room(10)
        lower = col.panel(190 if broken else 260)
        col.room(50)
        below = col.room(12 + 26 * (len(runs) + 1))
        fig, rects = col.figure()
        top = fig.add_axes(rects[upper]) if broken else None
        ax = fig.add_axes(rects[lower], sharex=top)
        left = rects[lower][0]
    else:
        fig = pen.figure()
        left = LEFT
        if broken:
            # Two panels, one x axis: a log panel on top for the blow-up, a linear one below
            # where the crawl and the healthy drop are readable. The gap marks the break.
            top = fig.add_axes((LEFT, 0.60, 0.84, 0.26))
            ax = fig.add_axes((LEFT, 0.18, 0.84, 0.38), sharex=top)
        else:
            ax = fig.add_axes((LEFT, 0.18, 0.84, 0.68))
    if broken:
        _log_panel(top, runs, lesson, linear_top, peak, theme, pen)
    ax.set_ylim(0, linear_top)
    ax.set_xlim(-0.02 * steps, steps * 1.02)
    minimum = ax.axhline(fit.loss, color=theme.minimum, linestyle="--", linewidth=1.3, zorder=1,
                         label=f"closed-form minimum {fixed(fit.loss, 4)}")
    if not pen.phone:
        ax.annotate(minimum.get_label(), (steps * 0.5, fit.loss), xytext=(0, -5), textcoords="offset points",
                    ha="center", va="top", fontsize=9, color=theme.minimum)
    handles = []
    for run in runs:
        colour = theme.rate_colour(run.lr, lesson.rates)
        shown = run.finite
        (curve,) = ax.plot(shown.steps, shown.loss, color=colour, linewidth=2.2, zorder=3,
                           label=f"lr {rate(run.lr)}: {verdict(run)}")
        handles.append(curve)
        last = len(shown.loss) - 1
        if shown.loss[-1] <= linear_top and not pen.phone:
            # Below a curve still falling to the right (it is higher to the left), above a flat one.
            falling = classify(run) == "crawling"
            ax.annotate(curve.get_label(), (last, shown.loss[-1]), xytext=(-2, -8 if falling else 6),
                        textcoords="offset points", ha="right", va="top" if falling else "bottom", fontsize=10,
                        color=colour, fontweight="bold")
    ax.set_xlabel("step")
    ax.set_ylabel("mean squared error")
    if pen.phone:
        few_ticks(ax)
        col.legend(fig, handles + [minimum], [h.get_label() for h in handles + [minimum]], below)
    if broken:
        top.tick_params(labelbottom=False)
        _break_marks(top, ax, theme)
    title(fig, heading, left=left, pen=pen)
    pen.credit_line(fig)
    yield frames.capture(fig)


def _log_panel(top, runs, lesson, linear_top, peak, theme, pen):
    """The blow-up, in powers of ten (see decades_axis)."""
    decades_axis(top, np.log10(linear_top), np.log10(peak), bins=3 if pen.phone else 5)
    top.set_ylim(np.log10(linear_top), top.get_ylim()[1])  # the panel starts where the linear one ends
    top.set_ylabel("(log scale)", fontsize=pen.pt(9.5), color=theme.muted)
    labels = 0
    for run in runs:
        shown = run.finite
        if shown.loss.max() <= linear_top:
            continue
        colour = theme.rate_colour(run.lr, lesson.rates)
        top.plot(shown.steps, np.log10(shown.loss), color=colour, linewidth=2.2)
        if pen.phone:  # its name is in the legend under the plot
            continue
        # Exploding curves rise to the right: their labels go top left, one under another.
        top.text(0.02, 0.92 - 0.16 * labels, f"lr {rate(run.lr)}: {verdict(run)}", transform=top.transAxes,
                 ha="left", va="top", fontsize=10, color=colour, fontweight="bold")
        labels += 1


def _break_marks(top, bottom, theme):
    """Short diagonal strokes where the two y axes are cut."""
    kw = dict(transform=top.transAxes, color=theme.muted, clip_on=False, linewidth=1)
    top.plot([-0.012, 0.012], [-0.03, 0.03], **kw)
    top.spines["bottom"].set_visible(False)
    kw["transform"] = bottom.transAxes
    bottom.plot([-0.012, 0.012], [0.98, 1.04], **kw)
    bottom.spines["top"].set_visible(False)


def animation(lesson, pen):
    theme = pen.theme
    runs = [r.finite for r in lesson.histories]
    full = lesson.histories
    heading = f"{len(runs)} learning rates, stepping together"
    if pen.phone:  # the panels one under another, one x axis named at the bottom
        col = Column(pen)
        col.heading(heading)
        rects = []
        for i in range(len(runs)):
            col.room(26)
            rects.append(col.panel(150))
            col.room(26 if i < len(runs) - 1 else 50)
        fig, rects = col.figure()
    else:
        fig = pen.figure(960, 380)
        width = 0.27
        rects = [(PANELS_LEFT + i * (width + 0.045), 0.2, width, 0.6) for i in range(len(runs))]
    xlim, ylim = limits(lesson.x), limits(lesson.y)
    panels = []
    for i, (run, whole) in enumerate(zip(runs, full)):
        colour = theme.rate_colour(run.lr, lesson.rates)
        ax = fig.add_axes(rects[i])
        ax.scatter(lesson.x, lesson.y, s=14, color=theme.teams, edgecolor=theme.background, linewidth=0.4, zorder=2)
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        if not pen.phone or i == len(runs) - 1:
            ax.set_xlabel("run differential (z)", fontsize=pen.pt(9.5))
        if i == 0 or pen.phone:
            ax.set_ylabel("wins (z)", fontsize=pen.pt(9.5))
        if pen.phone:
            few_ticks(ax)
        ax.set_title(f"lr {rate(run.lr)}: {classify(whole)}", color=colour, fontsize=pen.pt(11), loc="left")
        (line,) = ax.plot([], [], color=colour, linewidth=2.4, zorder=3)
        readout = ax.text(0.97, 0.04, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=pen.pt(9),
                          family="DejaVu Sans Mono", color=theme.text,
                          bbox=dict(boxstyle="round,pad=0.3", facecolor=theme.card, edgecolor=theme.card_edge, alpha=0.9))
        note = ax.text(0.5, 0.62, "", transform=ax.transAxes, ha="center", va="center", fontsize=pen.pt(9.5),
                       color=theme.text, bbox=dict(boxstyle="round,pad=0.3", facecolor=theme.card, edgecolor="none",
                                                     alpha=0.85))
        panels.append((ax, run, whole, line, readout, note))
    title(fig, heading, left=PANELS_LEFT, pen=pen)
    pen.credit_line(fig)
    blit = frames.Blit(fig, [artist for panel in panels for artist in panel[3:]])

    # Frames go where the lines move. Each panel's on-screen travel counts as a share of
    # its own total, so a crawl gets its share of frames beside a line that flips wildly.
    total = max(len(r.loss) for r in runs)
    path = np.zeros(total)
    for run in runs:
        own = visual_travel(run.slope, run.b, xlim, ylim)
        own = own / own[-1] if own[-1] > 0 else own
        path += np.concatenate([own, np.full(total - len(own), own[-1])])
    chosen = frame_steps(path)
    steps = max(len(h.loss) for h in full) - 1
    for step, delay in zip(chosen, delays(path, chosen)):
        losses, numbers = [], [("step", str(step))]
        for ax, run, whole, line, readout, note in panels:
            k = min(step, len(run.loss) - 1)
            m, b = run.slope[k], run.b[k]
            line.set_data(*line_points(ax, m, b))
            readout.set_text(f"step {k}\nm = {fixed(m)}\nloss {fixed(run.loss[k], 4)}")
            losses.append(f"{fixed(run.loss[k], 4)} at lr {rate(run.lr)}")
            numbers.append((f"loss at lr {rate(run.lr)}", fixed(run.loss[k], 4)))
            if whole.diverged_at is not None and step >= whole.diverged_at - 1:
                note.set_text(f"diverged at step {whole.diverged_at}")
            elif not in_view(ax, m, b):
                note.set_text("the line is out of view")
            else:
                note.set_text("")
        yield blit.capture(delay, f"step {step} of {steps}, loss " + ", ".join(losses), step, tuple(numbers))


def words(lesson, kind):
    """Alt text and caption, from the runs."""
    runs = lesson.histories
    steps = max(len(r.loss) for r in runs) - 1
    parts = []
    for run in runs:
        shown = run.finite
        what = classify(run)
        if run.diverged_at is not None:
            parts.append(f"{rate(run.lr)} explodes until the loss overflows at step {run.diverged_at}")
        elif what == "exploding":
            parts.append(f"{rate(run.lr)} explodes to {fixed(shown.loss[-1], 2)}")
        else:
            parts.append(f"{rate(run.lr)} is {what}, from {fixed(shown.loss[0], 4)} to {fixed(shown.loss[-1], 4)}")
    listing = "; ".join(parts)
    names = ", ".join(rate(r.lr) for r in runs)
    if kind == "still":
        alt = (f"Loss curves of learning rates {names} over {steps} steps from the same start, on a broken axis "
               f"(linear below, powers of ten above), with the closed-form minimum {fixed(lesson.fit.loss, 4)} "
               f"marked: {listing}.")
    else:
        alt = (f"Animation of {len(runs)} panels of the teams, one per learning rate ({names}), each line stepping "
               f"together: {listing}.")
    caption = f"Learning rate decides the run: {listing}."
    return alt, caption
