"""The teams in z-scores with the line descent learned and the closed-form line, into output/gd_fit.png."""
from render.draw import frames
from render.engine.descent import landed_on_fit
from render.numbers import fixed
from scenes import common
from scenes.common import SCATTER_MARGINS, line_points, phone_scatter, team_axes


def still(lesson, pen):
    theme = pen.theme
    run = lesson.run.finite
    steps = len(run.loss) - 1
    fit = lesson.fit
    landed = landed_on_fit(run, fit)
    heading = ("Gradient descent lands on the least-squares line" if landed
               else f"After {steps} steps descent has not reached the least-squares line")
    if pen.phone:  # the scatter, then its legend under it
        col, fig, ax, rect, legend_top = phone_scatter(pen, lesson, heading, 270, 118)
        left = rect[0]
    else:
        fig = pen.figure()
        fig.subplots_adjust(**SCATTER_MARGINS)
        ax = team_axes(fig, lesson, theme)
        left = SCATTER_MARGINS["left"]
    # The closed-form line is drawn wide and pale underneath, the learned line thin on
    # top: when descent has landed, the learned line sits inside the band.
    ax.plot(*line_points(ax, fit.m[0], fit.b), color=theme.closed_form, linewidth=7, alpha=0.45,
            solid_capstyle="butt", zorder=1,
            label=f"closed form:{pen.br}m = {fixed(fit.m[0])}, b = {fixed(fit.b)}")
    ax.plot(*line_points(ax, run.slope[-1], run.b[-1]), color=theme.rate_colour(run.lr, lesson.rates), linewidth=2,
            zorder=3, label=f"descent, {steps} steps:{pen.br}"
                            f"m = {fixed(run.slope[-1])}, b = {fixed(run.b[-1])}")
    _label_extremes(ax, lesson, theme, pen)
    if pen.phone:
        col.legend(fig, *ax.get_legend_handles_labels(), legend_top)
    else:
        ax.legend(loc="upper left", fontsize=9)
    common.title(fig, heading, left=left, top_axis=True, pen=pen)
    pen.credit_line(fig)
    yield frames.capture(fig)


def _label_extremes(ax, lesson, theme, pen):
    """Name the teams with the most and the fewest wins, so the dots read as teams."""
    # Best team: up and to the left (above the line); worst: down and to the right.
    for i, offset, align in ((int(lesson.y.argmax()), (-6, 7), "right"), (int(lesson.y.argmin()), (7, -7), "left")):
        ax.annotate(lesson.data.teams[i], (lesson.x[i], lesson.y[i]), xytext=offset, textcoords="offset points",
                    ha=align, va="center", fontsize=pen.pt(9), color=theme.text)


def words(lesson, kind):
    """Alt text and caption, from the run."""
    run, fit = lesson.run.finite, lesson.fit
    steps = len(lesson.run.loss) - 1
    m, b = run.slope[-1], run.b[-1]
    landed = landed_on_fit(lesson.run, fit)
    per_run = lesson.wins_per_run(fit.m[0])
    alt = (f"Scatter plot of {lesson.data.n} teams, standardized run differential against standardized wins, "
           f"with the line learned by {steps} steps of gradient descent (slope {fixed(m)}, intercept {fixed(b)}) "
           + ("lying on" if landed else "beside")
           + f" the closed-form least-squares line (slope {fixed(fit.m[0])}, intercept {fixed(fit.b)}).")
    caption = (f"After {steps} steps gradient descent's line "
               + (f"is the least-squares line: slope {fixed(fit.m[0])}, or {per_run:.4f} wins per run of differential."
                  if landed else f"has slope {fixed(m)}; the least-squares slope is {fixed(fit.m[0])}."))
    return alt, caption
