"""The peer of `make bench`, not part of the product: gd_line's light GIF and MP4 made the
way a matplotlib user would, FuncAnimation saved with PillowWriter for the GIF and with
FFMpegWriter at twice the dpi for the MP4.

It draws exactly the project's frames (the scene's own figure and artist updates, the same
size, the same delays in the GIF) and hands them to matplotlib's standard pipeline: every
frame drawn whole by each save, the GIF's frames kept as RGBA in memory and quantized by
Pillow, the video's piped to ffmpeg (imageio-ffmpeg's binary) one frame per pose at a
constant rate (kinder to the peer than repeating frames for their delays).

    python bench/peer.py OUT_DIR TIMING.json
"""
import json
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")
import imageio_ffmpeg  # noqa: E402
from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from render.pipeline import registry  # noqa: E402
from render.draw import frames as frame_capture  # noqa: E402
from render.draw.frames import Credit, Pen  # noqa: E402
from render.draw.palette import LIGHT  # noqa: E402
from render.engine import data  # noqa: E402
from render.engine.history import from_csv  # noqa: E402
from render.engine.lesson import Lesson  # noqa: E402
from render.settings import DEFAULTS  # noqa: E402

SCENE = "gd_line"
VIDEO_FPS = 10


class StepwisePillowWriter(PillowWriter):
    """PillowWriter with one delay per frame; matplotlib's knows only a constant fps."""

    def __init__(self, delays):
        super().__init__(fps=10)
        self.delays = delays

    def finish(self):
        self._frames[0].save(self.outfile, save_all=True, append_images=self._frames[1:],
                             duration=self.delays, loop=0)


def animate(lesson, pen, save) -> int:
    """Pose the scene frame by frame under FuncAnimation and ``save`` it; returns the frames."""
    figures, delays = [], []

    # The scene mutates its artists and asks for a frame; here asking only records the
    # delay, and FuncAnimation's writer does the drawing, the matplotlib way.
    class Record:  # in place of the project's blitter: no drawing of its own
        def __init__(self, fig, moving):
            self.fig = fig

        def capture(self, duration_ms=0, label="", step=None, row=()):
            figures.append(self.fig)
            delays.append(duration_ms)

    frame_capture.Blit = Record
    states = registry.module(registry.get(SCENE)).animation(lesson, pen)
    next(states)  # builds the figure, poses the first frame

    def poses():
        yield 0
        for _ in states:
            yield 0

    animation = FuncAnimation(figures[0], lambda _: (), frames=poses, init_func=lambda: (), save_count=100_000,
                              cache_frame_data=False, repeat=False)
    save(animation, figures[0], delays)
    return len(delays)


def main(out_dir, timing):
    # The data and the history by the project's own code: the comparison is of the
    # animation pipelines, not of CSV readers.
    season = data.load(os.path.join(ROOT, DEFAULTS.data))
    with open(os.path.join(out_dir, "history.csv"), encoding="utf-8") as f:
        lesson = Lesson(season, tuple(from_csv(f.read())), DEFAULTS.lr)
    started = time.perf_counter()
    with Pen(LIGHT, Credit.measure(lesson.data.credit)).style() as pen:
        matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
        gif = os.path.join(out_dir, f"{SCENE}.peer.gif")
        count = animate(lesson, pen, lambda a, fig, delays: a.save(gif, writer=StepwisePillowWriter(delays),
                                                                   dpi=fig.dpi))
        mp4 = os.path.join(out_dir, f"{SCENE}.peer.mp4")
        animate(lesson, pen, lambda a, fig, delays: a.save(mp4, writer=FFMpegWriter(fps=VIDEO_FPS, codec="libx264"),
                                                           dpi=2 * fig.dpi))
    with open(timing, "w") as f:
        json.dump({"frames": count, "render_s": time.perf_counter() - started}, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
