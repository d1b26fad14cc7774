"""The loss bowl over (m, b) in 3D with the run's path from the start to the minimum: a still
into output/gd_bowl.png, and a ball rolling down it under a still camera into
output/gd_bowl.gif.

The surface is opaque and lit (LightSource shading of the contour colours), with the loss
contours and a sparse grid drawn on it and the path over it, haloed. The camera stands on
the minimum's side, looking up the far wall the path climbs, 50 degrees off the path's
own line so the path runs across the picture, as low as lets no part of the surface
stand in front of the path (``clear_view``). Lines on the surface are drawn only where
the camera sees them: matplotlib sorts whole collections, not the points of a line, so
each point is tested against the surface along its ray to the camera (``seen``).
"""
import contourpy
import numpy as np
from matplotlib.colors import LightSource
from matplotlib.ticker import MaxNLocator

from render.draw import frames
from render.engine.descent import classify, loss_grid
from render.numbers import fixed, rate
from scenes.common import LAST_HOLD_MS, Column, delays, frame_steps, inside, row, rings, title, window

GRID = 61  # grid points per axis of the surface: no facet shows at 2x
#: Contours and grid lines drawn on the surface, and how finely a line is sampled.
CONTOURS, WIRES, LINE_POINTS = 8, 7, 121
#: The camera: this many degrees off the line from the minimum to the start, on the
#: minimum's side, and the lowest of these elevations from which the path is all seen.
OFF_PATH_DEG = 50
ELEVATIONS_DEG = (22, 26, 30, 35, 40, 48, 56)
#: The light comes from over the camera's left shoulder, this high.
LIGHT_ALTITUDE_DEG = 45
WIDTH_PX, HEIGHT_PX = 640, 520


class Bowl:
    """The surface, the lines on it and the path, built once; the animation moves the
    ball and the trail."""

    def __init__(self, lesson, pen):
        theme = self.theme = pen.theme
        self.run = lesson.run.finite
        self.whole = lesson.run
        fit = lesson.fit
        self.lesson = lesson
        self.minimum = (float(fit.m[0]), float(fit.b))
        self.mlim, self.blim = window((self.run.slope[0], self.run.b[0]), self.minimum)
        M, B = np.meshgrid(np.linspace(*self.mlim, GRID), np.linspace(*self.blim, GRID))
        L = self.loss(M, B)
        self.top = float(L.max())
        # The path is drawn only while it stays over the window: an exploding run leaves.
        keep = inside(self.run.slope, self.run.b, self.mlim, self.blim)
        self.shown = int(np.argmin(keep)) if not keep.all() else len(keep)

        verdict = classify(self.whole)
        heading = f"The loss bowl: lr {rate(self.run.lr)} is {verdict}"
        if pen.phone:  # the bowl, then its legend and note under it
            col = Column(pen, left=44, right=0)
            col.heading(heading)
            plot = col.panel(330)
            below = col.room(120)
            fig, rects = col.figure()
            rect = rects[plot]
        else:
            fig = pen.figure(WIDTH_PX, HEIGHT_PX)
            rect = (0.02, 0.17, 0.8, 0.74)
        self.fig = fig
        # computed_zorder=False: drawn in the order given (the surface, the lines on it,
        # the path, the marks), each line only where it is seen.
        ax = self.ax = fig.add_axes(rect, projection="3d", computed_zorder=False)
        ax.set_xlim(self.mlim)
        ax.set_ylim(self.blim)
        ax.set_zlim(0, self.top)  # a squared error starts at zero
        ax.set_box_aspect((1, 1, 0.75), zoom=0.95)
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.set_major_locator(MaxNLocator(nbins=4 if pen.phone else 5))
        ax.set_xlabel("slope m")
        ax.set_ylabel("intercept b")
        ax.set_zlabel("loss (MSE)" if pen.phone else "mean squared error")
        self.azim, self.elev = clear_view(ax, self.path(self.shown), self.loss, self.run, self.minimum,
                                          (self.mlim, self.blim))
        ax.view_init(elev=self.elev, azim=self.azim)
        light = LightSource(azdeg=(self.azim + 90) % 360, altdeg=LIGHT_ALTITUDE_DEG)
        shaded = light.shade(L, cmap=theme.contour_map, vert_exag=0.3, blend_mode="soft")
        ax.plot_surface(M, B, L, facecolors=shaded, rcount=GRID, ccount=GRID, linewidth=0, antialiased=False,
                        shade=False, zorder=1)
        self.eye = eye(ax)
        for m, b in grid_lines(self.mlim, self.blim):
            self.on_surface(m, b, self.loss(m, b), color=theme.background, linewidth=0.5, alpha=0.35, zorder=2)
        for m, b, level in contour_lines(M, B, L, rings(L, fit.loss, CONTOURS)):
            self.on_surface(m, b, np.full_like(m, level), color=theme.background, linewidth=0.9, alpha=0.85, zorder=3)

        colour = theme.rate_colour(self.run.lr, lesson.rates)
        m, b, loss = self.path(self.shown)
        (self.halo,) = ax.plot(m, b, loss, color=theme.background, linewidth=5.5, zorder=9, solid_capstyle="round")
        (self.trail,) = ax.plot(m, b, loss, color=colour, linewidth=2.6, marker="o", markersize=3, zorder=10,
                                label=f"descent, lr {rate(self.run.lr)}")
        ax.scatter([self.run.slope[0]], [self.run.b[0]], [self.run.loss[0]], s=60, facecolor=theme.background,
                   edgecolor=theme.start, linewidth=1.8, zorder=11, depthshade=False,
                   label=f"start m = {fixed(self.run.slope[0], 2)}, b = {fixed(self.run.b[0], 2)}")
        ax.scatter([self.minimum[0]], [self.minimum[1]], [fit.loss], s=150, marker="*", color=theme.minimum,
                   edgecolor=theme.background, linewidth=0.6, zorder=12, depthshade=False,
                   label=f"closed-form minimum m = {fixed(self.minimum[0])}, b = {fixed(self.minimum[1])}")
        # The ball rolls under the star: where it lands on the minimum, the star stays seen.
        # A line of one marker, not a scatter: a line projects itself as it is drawn, so the
        # animation can redraw it alone (a scatter is projected by its axes' whole draw).
        (self.ball,) = ax.plot([], [], [], "o", color=colour, markersize=10, markeredgecolor=theme.background,
                               markeredgewidth=1, zorder=11.5)
        title(fig, heading, left=0.04, pen=pen)
        handles, labels = ax.get_legend_handles_labels()
        if pen.phone:
            col.legend(fig, handles, [label.replace(" m =", ":\nm =") for label in labels], below, ncols=1)
            self.caption = None
        else:
            # A figure legend, drawn after the whole 3D plot, so no path ever covers it;
            # top right, under the title, where the box leaves the corner clear.
            fig.legend(handles, [label.replace(" m =", ":\nm =") for label in labels], loc="upper right",
                       bbox_to_anchor=(0.985, 0.9), fontsize=9.5, frameon=False)
            self.caption = fig.text(0.03, 0.095, self.note(), fontsize=9.5, color=theme.text, va="bottom")
        pen.credit_line(fig)

    def loss(self, m, b):
        return loss_grid(self.lesson.x, self.lesson.y, m, b)

    def path(self, upto: int):
        return self.run.slope[:upto], self.run.b[:upto], self.run.loss[:upto]

    def on_surface(self, m, b, z, **style) -> None:
        """A line lying on the surface, drawn where the camera sees it (gaps elsewhere)."""
        hidden = ~seen(self.eye, m, b, z, self.loss, (self.mlim, self.blim))
        self.ax.plot(m, b, np.where(hidden, np.nan, z), **style)

    def note(self) -> str:
        if self.whole.diverged_at is not None or self.shown < len(self.run.loss):
            return f"The path leaves the bowl after step {self.shown - 1}; the run is {classify(self.whole)}."
        if np.ptp(self.run.b) < 1e-12:  # zero but for rounding in the mean of y
            return ("On centred data the intercept's gradient is exactly zero:\n"
                    "from b = 0 the path runs along b = 0.")
        steps = len(self.run.loss) - 1
        return f"{steps} steps from the start to a loss of {fixed(self.run.loss[-1], 4)}."


def eye(ax) -> np.ndarray:
    """The camera's position in data coordinates: the point the projection sends to
    infinity (its x, y and w rows' common null vector)."""
    _, _, rows = np.linalg.svd(ax.get_proj()[[0, 1, 3], :])
    return rows[-1][:3] / rows[-1][3]


def seen(camera, m, b, z, surface, window, samples: int = 80) -> np.ndarray:
    """Whether each point (m, b, z) on or over the surface is seen from ``camera``: no
    point of its ray to the camera, over the window, passes under the surface."""
    (m0, m1), (b0, b1) = window
    t = np.linspace(0.01, 1, samples)[:, None]
    qm, qb, qz = (np.asarray(v, float) + t * (c - np.asarray(v, float)) for v, c in zip((m, b, z), camera))
    over = (qm >= m0) & (qm <= m1) & (qb >= b0) & (qb <= b1)
    under = qz < surface(qm, qb) - 1e-9 * max(1.0, float(np.max(np.abs(z))))
    return ~(over & under).any(axis=0)


def clear_view(ax, path, surface, run, minimum, window) -> tuple[float, float]:
    """The camera's angles: OFF_PATH_DEG off the line from the minimum to the start, on
    the minimum's side (either way round), at the lowest elevation from which every point
    of the path is seen; the highest tried if none is clear."""
    (m0, m1), (b0, b1) = window
    # The start, seen from the minimum, in the box's own proportions (both spans are one).
    dm = (run.slope[0] - minimum[0]) / (m1 - m0)
    db = (run.b[0] - minimum[1]) / (b1 - b0)
    away = np.degrees(np.arctan2(-db, -dm)) if dm or db else 0.0
    m, b, z = path
    for elev in ELEVATIONS_DEG:
        for turn in (OFF_PATH_DEG, -OFF_PATH_DEG):
            azim = (away + turn + 180) % 360 - 180
            ax.view_init(elev=elev, azim=azim)
            if seen(eye(ax), m, b, z, surface, window).all():
                return azim, elev
    return (away + OFF_PATH_DEG + 180) % 360 - 180, ELEVATIONS_DEG[-1]


def grid_lines(mlim, blim):
    """A sparse grid over the window: lines of constant m, then of constant b."""
    ms, bs = np.linspace(*mlim, WIRES), np.linspace(*blim, WIRES)
    along_b, along_m = np.linspace(*blim, LINE_POINTS), np.linspace(*mlim, LINE_POINTS)
    return [(np.full_like(along_b, m), along_b) for m in ms[1:-1]] + [(along_m, np.full_like(along_m, b))
                                                                        for b in bs[1:-1]]


def contour_lines(M, B, L, levels):
    """Each contour of the loss as (m, b, level), traced by matplotlib's contour generator."""
    generator = contourpy.contour_generator(M, B, L)
    return [(line[:, 0], line[:, 1], level) for level in levels for line in generator.lines(level)]


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
    # The camera holds still: only the trail and the ball move.
    blit = frames.Blit(bowl.fig, [bowl.halo, bowl.trail, bowl.ball])
    total = len(bowl.whole.loss) - 1
    for i, (step, delay) in enumerate(zip(steps, waits)):
        m, b, loss = bowl.path(step + 1)
        bowl.halo.set_data_3d(m, b, loss)
        bowl.trail.set_data_3d(m, b, loss)
        bowl.ball.set_data_3d([m[-1]], [b[-1]], [loss[-1]])
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
        end = f"m = {fixed(run.slope[-1])}, b = {fixed(run.b[-1])}"
        # Name the minimum once when the path has reached it to the digits shown; otherwise say where it is.
        landing = "the closed-form minimum" if end == target else f"with the minimum at {target}"
        path = (f"runs from {start} (loss {fixed(run.loss[0], 4)}) down to {end} (loss {fixed(run.loss[-1], 4)}) "
                f"in {steps} steps, {landing}")
    straight = " along b = 0" if np.ptp(run.b) < 1e-12 else ""
    if kind == "still":
        alt = (f"3D surface of mean squared error over slope m and intercept b, a lit round bowl with its contours "
               f"drawn on it; the path of gradient descent at learning rate {rate(run.lr)}{straight} {path}.")
    else:
        alt = (f"Animation: a ball rolls down the 3D loss bowl; at learning rate {rate(run.lr)} its "
               f"path{straight} {path}.")
    caption = f"Gradient descent on the loss bowl: the path{straight} {path}."
    return alt, caption
