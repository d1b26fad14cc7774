"""One render, a scene's still or animation in one theme and layout, drawn into its files.

The scene is handed a pen (render/draw/frames.py: its theme, scale and credit line) and
yields shots, drawn at twice the pixels; the writer (render/draw/writer.py) puts them into
the render's files (render/outputs.py's rows), all of them together. A scene that redraws
whole frames (a turning camera) shares them among forked frame workers; a blitting scene
draws a frame in milliseconds, less than a worker's set-up.
"""
from __future__ import annotations

import os
from dataclasses import replace

from render.draw import encoders, writer
from render.draw.frames import Credit, Pen
from render.draw.palette import THEMES
from render.engine.lesson import Lesson
from render.outputs import LAYOUTS
from render.pipeline import parallel
from render.pipeline.registry import Render, module


def render(r: Render, lesson: Lesson, credit: Credit, out_dir: str, frame_workers: int = 1) -> dict:
    """Draw ``r`` into its files in ``out_dir``; returns what each file holds (by path,
    render/draw/writer.py)."""
    draw = getattr(module(r.scene), r.kind)
    targets = {o.form: os.path.join(out_dir, o.file) for o in r.outputs}
    theme, layout = THEMES[r.theme], LAYOUTS[r.layout]
    if r.kind == "still":
        with Pen(theme, credit, layout=layout).style() as pen:
            shots = list(draw(lesson, pen))
            if len(shots) != 1:
                raise ValueError(f"{r.scene.name}: a still is one shot, got {len(shots)}")
            # Drawn once, at twice the pixels, as an animation's frames are: a second
            # drawing at 1x would cost as much again.
            frame = shots[-1].frame_at(writer.DRAWN_AT)
            if any(getattr(encoders.ENCODERS[form.format], "vector", False) for form in targets):
                frame = replace(frame, vector=shots[-1].svg())
            return writer.write([frame], targets, drawn_at=writer.DRAWN_AT)

    def shots():
        with Pen(theme, credit, scale=writer.DRAWN_AT, layout=layout).style() as pen:
            yield from draw(lesson, pen)

    frames = parallel.in_order(shots, lambda shot: shot.frame(), frame_workers if r.whole_frames else 1)
    return writer.write(frames, targets, drawn_at=writer.DRAWN_AT)
