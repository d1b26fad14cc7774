"""One step, three views, into output/gd_linked.gif: the line over the teams (data space),
its (m, b) as a point with its trail on the loss map (parameter space), and the loss curve
up to that step. A point on the map *is* a line over the teams: each frame draws both from
the same recorded (m, b), at the steps gd_line shows."""
import numpy as np

from render.draw import frames
from render.engine.descent import classify, landed_on_fit, landing_step, loss_grid
from render.numbers import fixed, rate
from scenes.common import (Column, delays, few_ticks, frame_steps, in_view, inside, line_points, loss_axis, rings,
                           row, team_axes, title, visual_travel, window)

WIDTH_PX, HEIGHT_PX = 960, 400
GRID = 161  # grid points per axis of the loss map: smooth contours at 2x
LEVELS = 10
#: The three panels, in figure fractions: (left, bottom, width, height). The map is square.
DATA_RECT = (0.055, 0.21, 0.26, 0.6)
MAP_RECT = (0.395, 0.21, 0.6 * HEIGHT_PX / WIDTH_PX, 0.6)  # square in pixels, as its window is in (m, b)
LOSS_RECT = (0.745, 0.21, 0.235, 0.6)
#: The loss curve's step axis is linear up to here and logarithmic after: the loss falls
#: in the first steps, and a linear axis of 200 steps would squeeze that into its edge.
LINEAR_STEPS = 10
TITLES = {
    "healthy": "Each step moves the point on the loss map, and the line with it",
    "crawling": "With lr {lr} the point creeps across the map, and the line with it",
    "exploding": "With lr {lr} the point leaps out of the bowl, and the line swings with it",
}


def animation(lesson, pen):
    theme = pen.theme
    whole = lesson.run
    run = whole.finite
    fit = lesson.fit
    minimum = (float(fit.m[0]), float(fit.b))
    total = len(whole.loss) - 1
    colour = theme.rate_colour(run.lr, lesson.rates)
    heading = TITLES[classify(whole)].format(lr=rate(run.lr))
    if pen.phone:  # the three views one under another, each under its heading
        col = Column(pen)
        col.heading(heading)
        rects = []
        for i, (height, square) in enumerate(((190, False), (230, True), (170, False))):
            col.room(30)
            rects.append(col.panel(height, square=square))
            col.room(50)
            if i == 0:
                legend_top = col.room(34)
        fig, (data_rect, map_rect, loss_rect) = col.figure()
    else:
        fig = pen.figure(WIDTH_PX, HEIGHT_PX)
        data_rect, map_rect, loss_rect = DATA_RECT, MAP_RECT, LOSS_RECT
    title(fig, heading, left=DATA_RECT[0], pen=pen)

    # Data space: the teams, the closed-form line, and descent's line at this step.
    data = team_axes(fig, lesson, theme, rect=data_rect, real_units=False)
    data.set_title("the line over the teams", fontsize=pen.pt(10.5), color=theme.text, loc="left")
    data.plot(*line_points(data, *minimum), color=theme.closed_form, linewidth=1.4, linestyle="--", zorder=1,
              label="closed form")
    (line,) = data.plot([], [], color=colour, linewidth=2.4, zorder=3, label=f"lr {rate(run.lr)}")
    if pen.phone:
        col.legend(fig, *data.get_legend_handles_labels(), legend_top, ncols=3, columnspacing=0.8, handlelength=1.4)
    else:
        data.legend(loc="lower right", fontsize=9)
    line.set_gid("line")
    away = data.text(0.5, 0.06, "", transform=data.transAxes, ha="center", va="bottom", fontsize=pen.pt(9),
                     color=theme.text)

    # Parameter space: the loss over (m, b), the start, the minimum, and the path so far.
    mlim, blim = window((run.slope[0], run.b[0]), minimum)
    M, B = np.meshgrid(np.linspace(*mlim, GRID), np.linspace(*blim, GRID))
    L = loss_grid(lesson.x, lesson.y, M, B)
    space = fig.add_axes(map_rect)
    space.contour(M, B, L, levels=rings(L, fit.loss, LEVELS), cmap=theme.contour_map, linewidths=0.8, zorder=0)
    space.set_xlim(mlim)
    space.set_ylim(blim)
    space.set_aspect("equal", adjustable="box")
    space.set_xlabel("slope m")
    space.set_ylabel("intercept b")
    if pen.phone:
        few_ticks(data)
        few_ticks(space, bins=3)
    space.set_title("its point (m, b) on the loss map", fontsize=pen.pt(10.5), color=theme.text, loc="left",
                    x=-0.25 if pen.phone else 0)
    space.scatter([run.slope[0]], [run.b[0]], s=70, facecolor="none", edgecolor=theme.start, linewidth=1.6,
                  zorder=4)
    # The point rolls under the star: where it lands on the minimum, the star stays seen.
    space.scatter([minimum[0]], [minimum[1]], s=130, marker="*", color=theme.minimum, zorder=8)
    (trail,) = space.plot([], [], color=colour, linewidth=1.6, zorder=6)
    (point,) = space.plot([], [], "o", color=colour, markersize=7, markeredgecolor=theme.background,
                          markeredgewidth=1.0, zorder=7)
    point.set_gid("point")
    gone = space.text(0.5, 0.06, "", transform=space.transAxes, ha="center", va="bottom", fontsize=pen.pt(9),
                      color=theme.text, bbox=dict(boxstyle="round,pad=0.3", facecolor=theme.card, edgecolor="none",
                                                  alpha=0.85))
    gone.set_gid("off the map")

    # The loss curve up to this step, on the scale gd_loss and gd_learning_rates use.
    curve_ax = fig.add_axes(loss_rect)
    exploding = classify(whole) == "exploding"
    y_of = loss_axis(curve_ax, run.loss, fit.loss, exploding)
    curve_ax.set_xscale("symlog", linthresh=LINEAR_STEPS, linscale=0.8)
    curve_ax.set_xlim(0, total if total > 0 else 1)
    curve_ax.axhline(y_of(fit.loss), color=theme.closed_form, linewidth=1.2, linestyle="--", zorder=1)
    curve_ax.set_xlabel(f"step (log scale past {LINEAR_STEPS})")
    curve_ax.set_ylabel("loss (MSE)" + (", log scale" if exploding else ""))
    if pen.phone and not exploding:
        few_ticks(curve_ax, "y")
    curve_ax.set_title("the loss so far", fontsize=pen.pt(10.5), color=theme.text, loc="left")
    (curve,) = curve_ax.plot([], [], color=colour, linewidth=1.8, zorder=3)
    (marker,) = curve_ax.plot([], [], "o", color=colour, markersize=6, markeredgecolor=theme.background,
                              markeredgewidth=1.0, zorder=4, clip_on=False)  # whole at the last step too
    readout = curve_ax.text(0.97, 0.95, "", transform=curve_ax.transAxes, ha="right", va="top", fontsize=pen.pt(9.5),
                            family="DejaVu Sans Mono", color=theme.text,
                            bbox=dict(boxstyle="round,pad=0.3", facecolor=theme.card, edgecolor=theme.card_edge,
                                      alpha=0.92))
    pen.credit_line(fig)
    blit = frames.Blit(fig, [line, away, trail, point, gone, curve, marker, readout])

    # The trail ends where the point leaves the map: past it, an exploding run's steps
    # are far off the map, and segments between them would cross it as stray lines.
    outside = np.flatnonzero(~inside(run.slope, run.b, mlim, blim))
    exit_step = int(outside[0]) if len(outside) else len(run.slope)
    path = visual_travel(run.slope, run.b, data.get_xlim(), data.get_ylim())
    steps = frame_steps(path)
    width = len(str(total))
    for step, delay in zip(steps, delays(path, steps)):
        m, b = run.slope[step], run.b[step]
        line.set_data(*line_points(data, m, b))
        shown = min(step, exit_step) + 1
        trail.set_data(run.slope[:shown], run.b[:shown])
        point.set_data([m], [b])
        gone.set_text("" if inside(m, b, mlim, blim) else f"the point has left the map\n(m = {fixed(m)})")
        upto = np.arange(step + 1)
        with np.errstate(divide="ignore"):
            curve.set_data(upto, y_of(run.loss[:step + 1]))
            marker.set_data([step], [y_of(run.loss[step])])
        readout.set_text(f"step {step:>{width}}\nm    {fixed(m):>7}\nb    {fixed(b):>7}\n"
                         f"loss {fixed(run.loss[step], 4):>7}")
        away.set_text("" if in_view(data, m, b) else "the line has left the panel")
        yield blit.capture(delay, f"step {step} of {total}, m {fixed(m)}, b {fixed(b)}, "
                                  f"loss {fixed(run.loss[step], 4)}", step, row(step, m, b, run.loss[step]))


def words(lesson, kind):
    """Alt text and caption, from the run."""
    whole = lesson.run
    run = whole.finite
    steps = len(whole.loss) - 1
    fit = lesson.fit
    start = f"m = {fixed(run.slope[0])}, b = {fixed(run.b[0])}"
    target = f"m = {fixed(fit.m[0])}, b = {fixed(fit.b)}"
    if classify(whole) == "exploding":
        end = (f"the loss overflows at step {whole.diverged_at}" if whole.diverged_at is not None
               else f"the loss reaches {fixed(run.loss[-1], 4)} after {steps} steps")
        caption = (f"With learning rate {rate(run.lr)} each step throws the point further from the minimum at "
                   f"{target}, and the line swings with it; {end}.")
        alt = (f"Animation in three panels at learning rate {rate(run.lr)}: a line over {lesson.data.n} teams "
               f"swinging ever more steeply, its point (m, b) leaping from {start} out of the loss map's bowl, "
               f"and the loss curve climbing on a log scale.")
        return alt, caption
    landed = landing_step(run.slope)
    arrives = ("arrives at the minimum" if landed_on_fit(whole, fit)
               else f"is still short of the minimum at {target}")
    caption = (f"One run of gradient descent in three views: the point (m, b) moves from {start} over the loss "
               f"map, the line over the teams turns with it, and the loss falls from {fixed(run.loss[0], 4)} "
               f"to {fixed(run.loss[-1], 4)}; by step {landed} the point {arrives}.")
    alt = (f"Animation in three panels at learning rate {rate(run.lr)}: left, a line over {lesson.data.n} teams "
           f"turning from slope {fixed(run.slope[0])} to {fixed(run.slope[-1])}; middle, its point (m, b) moving "
           f"from {start} across loss contours to the closed-form minimum at {target}; right, the loss curve "
           f"falling from {fixed(run.loss[0], 4)} to {fixed(run.loss[-1], 4)} over {steps} steps.")
    return alt, caption
