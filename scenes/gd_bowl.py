"""The loss bowl over (m, b) in 3D with the run's path from the start to the minimum: a still
into output/gd_bowl.png, and a ball rolling down it under a slowly turning camera into
output/gd_bowl.gif.

The path is painted over the surface (a translucent surface would otherwise hide it), so
no part of the surface may stand between the camera and the path: seen from too low, the
bowl's high near corner rises in front of the first steps and, with the path painted over
it, reads as a pale patch on the surface along the path. The camera is raised until that
cannot happen at any angle it takes (``clear_elevation``).
"""
import numpy as np
from mpl_toolkits.mplot3d import proj3d

from render.draw import frames
from render.engine.descent import classify, loss_grid
from render.numbers import fixed, rate
from scenes.common import LAST_HOLD_MS, delays, frame_steps, inside, row, title, window

GRID = 41  # grid points per axis of the surface: smooth at 2x, and a third fewer polygons than 61 to draw in every frame
#: The camera turns through this many degrees while the ball rolls, then holds.
TURN_DEG = 30
START_AZIM_DEG = -128
#: The camera's elevation: the lowest of these (a low camera shows the bowl's depth best)
#: from which no part of the surface stands in front of the path.
ELEVATIONS_DEG = range(28, 71, 3)
#: A surface point stands in front of a point of the path when it covers it on screen
#: (within COVER_SHARE of the surface's projected width) and is nearer the camera by more
#: than FRONT_SHARE of the surface's depth; the surface right around the path, which
#: slopes up from it, stays under that.
COVER_SHARE = 0.025
FRONT_SHARE = 0.1
WIDTH_PX, HEIGHT_PX = 640, 520


class Bowl:
    """The surface, its floor contours and the path, built once; the animation moves the
    ball and the camera."""

    def __init__(self, lesson, pen):
        theme = pen.theme
        self.run = lesson.run.finite
        self.whole = lesson.run
        fit = lesson.fit
        self.minimum = (float(fit.m[0]), fit.b)
        self.mlim, self.blim = window((self.run.slope[0], self.run.b[0]), self.minimum)
        M, B = np.meshgrid(np.linspace(*self.mlim, GRID), np.linspace(*self.blim, GRID))
        L = loss_grid(lesson.x, lesson.y, M, B)
        self.floor = float(fit.loss - 0.35 * (L.max() - fit.loss))
        # The path is drawn only while it stays over the window: an exploding run leaves.
        keep = inside(self.run.slope, self.run.b, self.mlim, self.blim)
        self.shown = int(np.argmin(keep)) if not keep.all() else len(keep)

        fig = self.fig = pen.figure(WIDTH_PX, HEIGHT_PX)
        # computed_zorder=False: draw in the order and zorder given, so the path is always
        # painted over the surface instead of being depth-sorted behind it.
        ax = self.ax = fig.add_axes((0.02, 0.16, 0.96, 0.71), projection="3d", computed_zorder=False)
        ax.plot_surface(M, B, L, cmap=theme.contour_map, alpha=0.55, linewidth=0, antialiased=True, rcount=GRID,
                        ccount=GRID, zorder=1)
        ax.contour(M, B, L, levels=12, zdir="z", offset=self.floor, cmap=theme.contour_map, linewidths=0.9, zorder=0)
        ax.set_xlim(self.mlim)
        ax.set_ylim(self.blim)
        ax.set_zlim(self.floor, float(L.max()))
        # The floor sits below zero only to hold the contours apart from the surface:
        # no tick may suggest a negative squared error.
        ax.set_zticks([t for t in ax.get_zticks() if 0 <= t <= L.max()])
        ax.set_xlabel("slope m")
        ax.set_ylabel("intercept b")
        ax.set_zlabel("mean squared error")
        self.surface = (M, B, L)
        self.elev = clear_elevation(ax, self.surface, self.path(self.shown), self.azimuths)
        ax.view_init(elev=self.elev, azim=START_AZIM_DEG)
        colour = theme.rate_colour(self.run.lr, lesson.rates)
        m, b, loss = self.path(self.shown)
        # The path's shadow on the floor, then the path itself on the surface.
        ax.plot(m, b, np.full_like(m, self.floor), color=colour, linewidth=1.2, linestyle="--", alpha=0.8, zorder=5)
        (self.trail,) = ax.plot(m, b, loss, color=colour, linewidth=2.6, marker="o", markersize=3, zorder=10)
        ax.scatter([self.run.slope[0]], [self.run.b[0]], [self.run.loss[0]], s=60, facecolor=theme.background,
                   edgecolor=theme.start, linewidth=1.8, zorder=11, depthshade=False,
                   label=f"start m = {fixed(self.run.slope[0], 2)}, b = {fixed(self.run.b[0], 2)}")
        ax.scatter([self.minimum[0]], [self.minimum[1]], [fit.loss], s=150, marker="*", color=theme.minimum,
                   edgecolor=theme.background, linewidth=0.6, zorder=12, depthshade=False,
                   label=f"closed-form minimum m = {fixed(self.minimum[0])}, b = {fixed(self.minimum[1])}")
        # The ball rolls under the star: where it lands on the minimum, the star stays seen.
        self.ball = ax.scatter([], [], [], s=110, color=colour, edgecolor=theme.background, linewidth=1, zorder=11.5,
                               depthshade=False)
        # A figure legend, drawn after the whole 3D plot, so no path ever covers it (in the
        # animation it is pasted, not drawn, each frame); top right, under the title, a
        # corner the 3D box leaves clear at every angle the camera turns through.
        fig.legend(*ax.get_legend_handles_labels(), loc="upper right", bbox_to_anchor=(0.985, 0.925),
                   fontsize=9)
        verdict = classify(self.whole)
        title(fig, f"The loss bowl: lr {rate(self.run.lr)} is {verdict}", left=0.04)  # the 3D axes fill the width
        self.caption = fig.text(0.03, 0.045, self.note(), fontsize=8.5, color=theme.text, va="bottom")
        pen.credit_line(fig)

    def path(self, upto: int):
        return self.run.slope[:upto], self.run.b[:upto], self.run.loss[:upto]

    @property
    def azimuths(self) -> tuple[float, ...]:
        """The camera's first, middle and last angle while it turns."""
        return START_AZIM_DEG, START_AZIM_DEG + TURN_DEG / 2, START_AZIM_DEG + TURN_DEG


    def note(self) -> str:
        if self.whole.diverged_at is not None or self.shown < len(self.run.loss):
            return f"The path leaves the bowl after step {self.shown - 1}; the run is {classify(self.whole)}."
        if np.ptp(self.run.b) < 1e-12:  # zero but for rounding in the mean of y
            return ("On centred data the intercept's gradient is exactly zero: from b = 0 the path runs along b = 0.\n"
                    "For a diagonal descent, start elsewhere: make gd_bowl M0=-1 B0=1.5")
        steps = len(self.run.loss) - 1
        return f"{steps} steps from the start to a loss of {fixed(self.run.loss[-1], 4)}."


def in_front(ax, surface, path, elev: float, azim: float) -> bool:
    """Whether, seen from (elev, azim), any point of the surface stands in front of the path."""
    ax.view_init(elev=elev, azim=azim)
    projection = ax.get_proj()
    sx, sy, sz = proj3d.proj_transform(*(np.ravel(a) for a in surface), projection)
    px, py, pz = proj3d.proj_transform(*path, projection)
    cover, front = COVER_SHARE * np.ptp(sx), FRONT_SHARE * np.ptp(sz)
    for x, y, z in zip(px, py, pz):
        covering = np.hypot(sx - x, sy - y) < cover
        if np.any(z - sz[covering] > front):  # a smaller projected z is nearer the camera
            return True
    return False


def clear_elevation(ax, surface, path, azimuths) -> float:
    """The lowest of ELEVATIONS_DEG from which no surface point stands in front of the path
    at any of ``azimuths``; the highest if none is clear."""
    for elev in ELEVATIONS_DEG:
        if not any(in_front(ax, surface, path, elev, azim) for azim in azimuths):
            return elev
    return ELEVATIONS_DEG[-1]


def still(lesson, pen):
    bowl = Bowl(lesson, pen)
    yield frames.capture(bowl.fig)


def animation(lesson, pen):
    bowl = Bowl(lesson, pen)
    run = bowl.run
    # Frames where the ball moves: distance travelled over the window, in window units.
    span = np.array([np.ptp(bowl.mlim), np.ptp(bowl.blim)])
    n = bowl.shown
    moved = np.linalg.norm(np.diff(np.column_stack([run.slope[:n], run.b[:n]]), axis=0) / span, axis=1)
    path = np.concatenate([[0.0], np.cumsum(moved)])
    steps = frame_steps(path, moving_frames=40)
    waits = delays(path, steps, moving_frames=40)
    # The whole 3D axes moves (the camera turns); the title and captions around it do not.
    blit = frames.Blit(bowl.fig, [bowl.ax])
    total = len(bowl.whole.loss) - 1
    for i, (step, delay) in enumerate(zip(steps, waits)):
        m, b, loss = bowl.path(step + 1)
        bowl.trail.set_data_3d(m, b, loss)
        bowl.ball._offsets3d = ([m[-1]], [b[-1]], [loss[-1]])
        # The camera turns while the ball rolls and stops with it.
        turn = TURN_DEG * i / max(1, len(steps) - 1)
        bowl.ax.view_init(elev=bowl.elev, azim=START_AZIM_DEG + turn)
        yield blit.capture(delay if i < len(steps) - 1 else LAST_HOLD_MS,
                           f"step {step} of {total}, loss {fixed(loss[-1], 4)}", step, row(step, m[-1], b[-1], loss[-1]))


def words(lesson, kind):
    """Alt text and caption, from the run."""
    run, whole, fit = lesson.run.finite, lesson.run, lesson.fit
    steps = len(whole.loss) - 1
    start = f"m = {fixed(run.slope[0], 2)}, b = {fixed(run.b[0], 2)}"
    target = f"m = {fixed(fit.m[0])}, b = {fixed(fit.b)}"
    if classify(whole) == "exploding":
        path = f"climbs out of the bowl from {start}, away from the minimum at {target}"
    else:
        path = (f"runs from {start} (loss {fixed(run.loss[0], 4)}) down to m = {fixed(run.slope[-1])}, "
                f"b = {fixed(run.b[-1])} (loss {fixed(run.loss[-1], 4)}) in {steps} steps, the minimum being {target}")
    straight = " along b = 0" if np.ptp(run.b) < 1e-12 else ""
    if kind == "still":
        alt = (f"3D surface of mean squared error over slope m and intercept b, a round bowl with contours on the "
               f"floor; the path of gradient descent at learning rate {rate(run.lr)}{straight} {path}.")
    else:
        alt = (f"Animation: a ball rolls over the 3D loss bowl as the camera turns; at learning rate "
               f"{rate(run.lr)} its path{straight} {path}.")
    caption = f"Gradient descent on the loss bowl: the path{straight} {path}."
    return alt, caption
