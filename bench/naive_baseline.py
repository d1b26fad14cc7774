"""THE BASELINE of `make bench`, not part of the product: an animation saved the way most
people do it with matplotlib, FuncAnimation and PillowWriter.

It draws exactly the project's frames (the scene's own figure and artist updates, at the
same size and with the same delays) and hands them to matplotlib's standard pipeline:
every frame drawn by the animation and again by the writer's savefig, kept as RGBA in
memory, and quantized to its own palette by Pillow when the GIF is saved.

Usage: python bench/naive_baseline.py SCENE HISTORY OUT.gif [TIMING.json] [LR]
"""
import json
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import scenes  # noqa: E402
from render import data  # noqa: E402
from render import frames as frame_capture  # noqa: E402
from render.frames import style  # noqa: E402
from render.history import from_csv  # noqa: E402
from render.lesson import Lesson  # noqa: E402


class StepwisePillowWriter(PillowWriter):
    """PillowWriter with one delay per frame; matplotlib's knows only a constant fps."""

    def __init__(self, delays):
        super().__init__(fps=10)
        self.delays = delays

    def finish(self):
        self._frames[0].save(self.outfile, save_all=True, append_images=self._frames[1:],
                             duration=self.delays, loop=0)


def main(scene_name, history, out, timing=None, lr="0.1"):
    # The data is read by the project's own loader, as the project's process reads it:
    # the comparison is of the animation pipelines, not of CSV readers.
    lesson = Lesson(data.load(os.path.join("data", "sample_standings.csv")),
                    tuple(from_csv(open(history).read())), float(lr))
    start = time.perf_counter()
    delays, figures = [], []

    # The scene mutates its artists and asks for a frame; here asking only records the
    # delay, and FuncAnimation's writer does the drawing, the matplotlib way.
    def record(fig, duration_ms=0):
        figures.append(fig)
        delays.append(duration_ms)

    class Record:  # in place of the project's blitter: no drawing of its own either
        def __init__(self, fig, moving):
            self.fig = fig

        def capture(self, duration_ms=0):
            record(self.fig, duration_ms)

    frame_capture.capture = record
    frame_capture.Blit = Record
    with style():
        states = scenes.get(scene_name).animation(lesson)
        next(states)  # builds the figure, poses the first frame

        def poses():
            yield 0
            for _ in states:
                yield 0

        animation = FuncAnimation(figures[0], lambda _: (), frames=poses, init_func=lambda: (),
                                  save_count=100_000, cache_frame_data=False, repeat=False)
        animation.save(out, writer=StepwisePillowWriter(delays), dpi=figures[0].dpi)
    if timing:
        with open(timing, "w") as f:
            json.dump({"frames": len(delays), "render_s": time.perf_counter() - start}, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
