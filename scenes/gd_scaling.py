"""Why standardize: loss contours and descent paths in z-scores (a round bowl) and in raw
units (a long thin valley), side by side, into output/gd_scaling.png."""
import numpy as np

from render.draw import frames
from render.engine.descent import condition_number, loss_grid
from render.engine.history import pick
from render.engine.problems import line, monotone_rate, raw_line
from render.numbers import condition, fixed
from scenes.common import Column, few_ticks, rings, title

HEADING = "Why standardize: one fit, two bowls"
GRID = 301
LEVELS = 14


def square_window(points: np.ndarray, margin: float = 0.2):
    """Equal ranges on both axes around the points, so the bowl's true shape shows."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    centre, half = (lo + hi) / 2, (hi - lo).max() / 2 * (1 + margin)
    return (centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half)


class Panel:
    """One panel's numbers, the same for the figure and its words."""

    def __init__(self, lesson, x, y):
        self.x, self.y = x, y
        self.run = pick(list(lesson.histories), monotone_rate(x))
        self.fit_m, self.fit_b = np.polyfit(x, y, 1)
        run = self.run
        self.covered = 1 - (np.hypot(run.slope[-1] - self.fit_m, run.b[-1] - self.fit_b)
                            / np.hypot(run.slope[0] - self.fit_m, run.b[0] - self.fit_b))
        self.kappa_text = condition(condition_number(x))
        self.steps = len(run.loss) - 1


def bowls(lesson) -> tuple[Panel, Panel]:
    """The standardized bowl and the raw-units one."""
    return Panel(lesson, *line(lesson.data)), Panel(lesson, *raw_line(lesson.data))


def still(lesson, pen):
    theme = pen.theme
    headings = ("standardized: z-scores", "raw units: runs and wins")
    if pen.phone:  # the two bowls one under the other, each with its numbers under it
        col = Column(pen, left=70)
        col.heading(HEADING)
        tops, notes = [], []
        for _ in headings:
            col.room(30)  # the panel's heading
            tops.append(col.panel(240, square=True))
            col.room(50)
            notes.append(col.room(100))
        legend_top = col.room(36)
        convert_top = col.room(140)
        fig, rects = col.figure()
        rects = [rects[i] for i in tops]
    else:
        fig = pen.figure(960, 560)
        rects = [(0.07 + i * 0.5, 0.35, 0.4, 0.52) for i in range(2)]
    z, raw = bowls(lesson)
    panels = zip((z, raw), rects, headings,
                 ("slope m (z-score / z-score)", "slope m (wins per run)"),
                 ("intercept b (z-score)", "intercept b (wins)"))
    for i, (bowl, rect, heading, xlabel, ylabel) in enumerate(panels):
        x, y, run = bowl.x, bowl.y, bowl.run
        ax = fig.add_axes(rect)
        m, b, fit_m, fit_b = run.slope, run.b, bowl.fit_m, bowl.fit_b
        mlim, blim = square_window(np.array([[m[0], b[0]], [fit_m, fit_b]]))
        M, B = np.meshgrid(np.linspace(*mlim, GRID), np.linspace(*blim, GRID))
        L = loss_grid(x, y, M, B)
        floor = loss_grid(x, y, np.array(fit_m), np.array(fit_b))
        ax.contour(M, B, L, levels=rings(L, floor, LEVELS), cmap=theme.contour_map, linewidths=0.9)
        ax.set_aspect("equal")  # equal units on both axes: the bowl's real shape
        ax.set_xlim(mlim)
        ax.set_ylim(blim)
        colour = theme.rates[1]
        ax.plot(m, b, color=colour, linewidth=2, marker="o", markersize=2.5, zorder=3)
        ax.scatter([m[0]], [b[0]], s=50, facecolor=theme.background, edgecolor=theme.start, linewidth=1.6, zorder=4,
                   label="start")
        # The minimum on top: a run that landed hides its end dot under the star, not the star.
        ax.scatter([fit_m], [fit_b], s=140, marker="*", color=theme.minimum, edgecolor=theme.background, zorder=6,
                   label="minimum")
        ax.scatter([m[-1]], [b[-1]], s=36, color=colour, zorder=5, label=f"after {len(m) - 1} steps")
        ax.set_title(heading, loc="left", fontsize=pen.pt(12))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if pen.phone:
            few_ticks(ax, bins=3)
        # The numbers sit under the panel, never over the bowl.
        numbers = (f"condition number {bowl.kappa_text}\n"
                   f"lr = 1 / largest eigenvalue = {run.lr:.3g}\n"
                   f"after {bowl.steps} steps: {bowl.covered:.1%} of the way to the minimum")
        if pen.phone:
            col.note(fig, numbers, notes[i], color=theme.text)
        else:
            fig.text(ax.get_position().x0, 0.255, numbers, fontsize=10, color=theme.text, va="top", linespacing=1.45)
        if bowl.covered < 0.5 and not pen.phone:  # a crawl: say where the run stopped, it is hard to see
            ax.annotate(f"still here after {len(m) - 1} steps", (m[-1], b[-1]), xytext=(12, -4),
                        textcoords="offset points", fontsize=pen.pt(9.5), color=colour, va="top",
                        bbox=dict(boxstyle="round,pad=0.25", facecolor=theme.card, edgecolor="none", alpha=0.9))
    slope_z, slope_raw = z.fit_m, raw.fit_m
    sd_w, sd_rd = lesson.wins_per_z, lesson.runs_per_z
    handles, labels = ax.get_legend_handles_labels()
    convert = (f"Back to real units: the standardized slope times sd(W) / sd(RunDiff) is the raw slope:\n"
               f"{fixed(slope_z)} × {sd_w:.2f} / {sd_rd:.2f} = {slope_z * sd_w / sd_rd:.4f} wins per run "
               f"(least squares in raw units: {slope_raw:.4f}), or {sd_rd / (slope_z * sd_w):.1f} runs per win.")
    if pen.phone:
        col.legend(fig, handles, labels, legend_top, ncols=3, columnspacing=0.7, handlelength=1.0,
                   handletextpad=0.4)
        col.note(fig, convert, convert_top, color=theme.text)
    else:
        fig.legend(handles, labels, loc="upper right", bbox_to_anchor=(0.99, 0.99), ncol=3, fontsize=9.5)
        fig.text(0.07, 0.075, convert, fontsize=10, color=theme.text, linespacing=1.5)
    title(fig, HEADING, left=0.07, pen=pen)
    pen.credit_line(fig)
    yield frames.capture(fig)


def words(lesson, kind):
    """Alt text and caption, from the runs."""
    z, raw = bowls(lesson)
    k_z, k_raw, c_z, c_raw, steps = z.kappa_text, raw.kappa_text, f"{z.covered:.1%}", f"{raw.covered:.1%}", z.steps
    alt = (f"Two contour plots of the loss over slope and intercept with equal axes. Standardized: round rings, "
           f"condition number {k_z}, the descent path goes straight to the minimum ({c_z} of the way in {steps} "
           f"steps). Raw runs and wins: a valley so thin its walls look like parallel lines, condition number "
           f"{k_raw}, the path has covered {c_raw} of the way in {steps} steps.")
    caption = (f"Standardizing makes the bowl round (condition number {k_z} against {k_raw}): in {steps} steps "
               f"descent covers {c_z} of the way on z-scores and {c_raw} in raw units.")
    return alt, caption
