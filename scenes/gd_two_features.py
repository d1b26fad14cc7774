"""Wins from runs scored and runs allowed: the loss curve and the two weights' path over the
loss contours to the least-squares solution, into output/gd_two_features.png."""
import numpy as np

from render.draw import frames
from render.engine.descent import classify, closed_form, weights_grid
from render.engine.history import pick
from render.engine.problems import two_features
from render.numbers import fixed, rate
from scenes.common import Column, few_ticks, loss_axis, rings, title

HEADING = "Two features: wins from runs scored and runs allowed"
GRID = 201
LEVELS = 12


def still(lesson, pen):
    theme = pen.theme
    X, y = two_features(lesson.data)  # one clear error line if RS or RA is missing
    run = pick(list(lesson.histories), lesson.lr)
    shown = run.finite
    fit = closed_form(X, y)
    colour = theme.rate_colour(run.lr, lesson.rates)
    steps = len(run.loss) - 1  # the steps recorded: fewer when the loss overflowed

    if pen.phone:  # the loss, then the weights' path, each with its legend under it, then the numbers
        col = Column(pen, left=66)
        col.heading(HEADING)
        col.room(28)
        upper = col.panel(200)
        col.room(50)
        curve_legend = col.room(60)
        col.room(28)
        lower = col.panel(250, square=True)
        col.room(50)
        weights_legend = col.room(36)
        numbers_top = col.room(156)
        fig, rects = col.figure()
        curve, weights = fig.add_axes(rects[upper]), fig.add_axes(rects[lower])
    else:
        fig = pen.figure(960, 480)
        curve = fig.add_axes((0.09, 0.33, 0.36, 0.52))
        weights = fig.add_axes((0.57, 0.33, 0.38, 0.52))
    exploding = classify(run) == "exploding"
    scale = loss_axis(curve, shown.loss, fit.loss, exploding)
    curve.plot(shown.steps, scale(shown.loss), color=colour, linewidth=2.2, label=f"gradient descent, lr {rate(run.lr)}")
    curve.axhline(scale(fit.loss), color=theme.minimum, linestyle="--", linewidth=1.3,
                  label=f"least-squares minimum {fixed(fit.loss, 4)}")
    curve.set_xlim(-0.02 * steps, steps * 1.02)
    curve.set_xlabel("step")
    curve.set_ylabel("mean squared error")
    curve.set_title("loss", loc="left", fontsize=pen.pt(12))
    if pen.phone:
        few_ticks(curve, "x" if exploding else "xy")
        col.legend(fig, *curve.get_legend_handles_labels(), curve_legend)
    else:
        curve.legend(loc="lower right" if exploding else "upper right", fontsize=9)  # away from the curve

    w = shown.m
    ends = np.vstack([w[0], fit.m])
    centre, half = ends.mean(axis=0), max(np.ptp(ends, axis=0).max() / 2 * 1.35, 0.5)
    w1 = np.linspace(centre[0] - half, centre[0] + half, GRID)
    w2 = np.linspace(centre[1] - half, centre[1] + half, GRID)
    W1, W2 = np.meshgrid(w1, w2)
    L = weights_grid(X, y, W1, W2, fit.b)
    weights.contour(W1, W2, L, levels=rings(L, fit.loss, LEVELS), cmap=theme.contour_map, linewidths=0.9)
    weights.set_aspect("equal")
    weights.set_xlim(w1[0], w1[-1])
    weights.set_ylim(w2[0], w2[-1])
    weights.plot(w[:, 0], w[:, 1], color=colour, linewidth=2, marker="o", markersize=2.5, zorder=3)
    weights.scatter([w[0, 0]], [w[0, 1]], s=50, facecolor=theme.background, edgecolor=theme.start, linewidth=1.6,
                    zorder=4, label="start")
    weights.scatter([fit.m[0]], [fit.m[1]], s=160, marker="*", color=theme.minimum, edgecolor=theme.background,
                    zorder=5, label="least squares")
    weights.set_xlabel("weight of runs scored (z)")
    weights.set_ylabel("weight of runs allowed (z)")
    weights.set_title("the weights' path" if pen.phone else f"the weights' path, b fixed at {fixed(fit.b)}",
                      loc="left", fontsize=pen.pt(12))
    if pen.phone:
        few_ticks(weights, bins=3)
        col.legend(fig, *weights.get_legend_handles_labels(), weights_legend, ncols=2)
    else:
        weights.legend(loc="upper right", fontsize=9)

    learned = shown.m[-1]
    if exploding:
        ended = (f"overflowed at step {run.diverged_at}" if run.diverged_at is not None
                 else f"reached {fixed(shown.loss[-1], 2)} after {steps} steps")
        first = f"lr {rate(run.lr)} explodes: the loss {ended}; the weights leave the panel"
    else:
        first = (f"After {steps} steps: runs scored {fixed(learned[0])}, runs allowed {fixed(learned[1])}, "
                 f"intercept {fixed(shown.b[-1])}, loss {fixed(shown.loss[-1], 4)}")
    second = (f"Least squares:   runs scored {fixed(fit.m[0])}, runs allowed {fixed(fit.m[1])}, "
              f"intercept {fixed(fit.b)}, loss {fixed(fit.loss, 4)}")
    if pen.phone:
        col.note(fig, f"The contours fix b at {fixed(fit.b)}.\n{first}.\n{' '.join(second.split())}.", numbers_top,
                 color=theme.text)
    else:
        fig.text(0.07, 0.115, f"{first}\n{second}", fontsize=10.5, color=theme.text, family="DejaVu Sans Mono",
                 linespacing=1.5)
    title(fig, HEADING, left=0.07, pen=pen)  # flush with the text below
    pen.credit_line(fig)
    yield frames.capture(fig)


def words(lesson, kind):
    """Alt text and caption, from the run."""
    X, y = two_features(lesson.data)
    run = pick(list(lesson.histories), lesson.lr).finite
    fit = closed_form(X, y)
    steps = len(run.loss) - 1
    learned = run.m[-1]
    alt = (f"Left, the loss curve of two-feature descent falling from {fixed(run.loss[0], 4)} to "
           f"{fixed(run.loss[-1], 4)} in {steps} steps. Right, tilted elliptical contours over the weights of runs "
           f"scored and runs allowed, with the path from the start to the least-squares point "
           f"({fixed(fit.m[0])}, {fixed(fit.m[1])}).")
    caption = (f"With two features descent learns {fixed(learned[0])} per z-score of runs scored and "
               f"{fixed(learned[1])} per z-score of runs allowed; least squares gives {fixed(fit.m[0])} and "
               f"{fixed(fit.m[1])}.")
    return alt, caption
