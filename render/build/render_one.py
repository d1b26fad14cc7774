"""One render, a scene's still or animation in one theme, drawn into its files.

The scene is handed a pen (render/draw/frames.py: its theme, scale and credit line) and
yields shots; the writer (render/draw/writer.py) puts them into the render's files, all
of them together. A scene that redraws whole frames (a turning camera) shares them among
forked frame workers; a blitting scene draws a frame in milliseconds, less than a
worker's set-up.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import scenes
from render.build import parallel
from render.draw.palette import THEMES
from render.engine.lesson import Lesson

if TYPE_CHECKING:
    from render.draw.frames import Credit


@dataclass(frozen=True)
class Render:
    """One render: a scene's still or animation in one theme, and the files it writes."""

    scene: scenes.Scene
    kind: str
    theme: str

    @property
    def outputs(self) -> tuple[scenes.Output, ...]:
        return self.scene.outputs(self.kind, self.theme)

    @property
    def files(self) -> list[str]:
        return [o.file for o in self.outputs]

    @property
    def whole_frames(self) -> bool:
        """Whether every frame is drawn whole (a turning camera): frame workers pay off."""
        return self.kind == "animation" and getattr(self.scene.module, "WHOLE_FRAMES", False)


def render(r: Render, lesson: Lesson, credit: Credit, out_dir: str, frame_workers: int = 1) -> dict:
    """Draw ``r`` into its files in ``out_dir``; returns what each file holds (by path,
    render/draw/writer.py)."""
    # Imported here: deciding what is stale (make check) never needs matplotlib.
    from render.draw import writer
    from render.draw.frames import Pen

    draw = getattr(r.scene.module, r.kind)
    path = {o.role: os.path.join(out_dir, o.file) for o in r.outputs}
    theme = THEMES[r.theme]
    if r.kind == "still":
        with Pen(theme, credit).style() as pen:
            shots = list(draw(lesson, pen))
            if len(shots) != 1:
                raise ValueError(f"{r.scene.name}: a still is one shot, got {len(shots)}")
            # Drawn once, at twice the pixels, as an animation's frames are: the crisp PNG
            # as drawn, the PNG halved (a second drawing at 1x would cost as much again).
            crisp = shots[-1].frame_at(writer.VIDEO_SCALE)
            vector = (path[scenes.VECTOR], shots[-1].svg()) if scenes.VECTOR in path else None
            return writer.write_still(path[scenes.STILL], [writer.half(crisp)], crisp=(path[scenes.CRISP], crisp),
                                      vector=vector)

    # Drawn once, at twice the pixels: the player's video and the crisp poster take the
    # frames as drawn, the GIF and the first poster each frame halved (render.draw.writer).
    def shots():
        with Pen(theme, credit, scale=writer.VIDEO_SCALE).style() as pen:
            yield from draw(lesson, pen)

    frames = parallel.in_order(shots, lambda shot: shot.frame(), frame_workers if r.whole_frames else 1)
    return writer.write_animation(frames, gif=path[scenes.ANIMATION], poster=path[scenes.POSTER],
                                  crisp_poster=path[scenes.CRISP_POSTER], mp4=path[scenes.VIDEO],
                                  drawn_at=writer.VIDEO_SCALE)
