"""Frames -> a render's files, deterministic, written atomically. Knows nothing of matplotlib.

``write(frames, {form: path}, drawn_at)`` sends each frame, as a scene yields it, to every
file that takes every frame (a GIF, a video), each at its density: a frame drawn at 2x
goes as drawn to a 2x file and halved (``half``) to a 1x one. Files that hold one picture
(a still, a poster, an SVG) get the last frame. Each file's format has its encoder
(render/draw/encoders.py), so no list of RGB frames is held here. The files of one render
are put in place together (render.atomic), once all are complete. It returns what each
file holds: its size in pixels, and for a moving one its duration, frames and the
timeline a player steps through, for the manifest.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
from PIL import Image

from render.atomic import write_together
from render.draw import encoders
from render.outputs import ROLES, Form

#: Scenes are drawn at this many times their pixels: the 2x files as drawn, the 1x halved.
DRAWN_AT = 2


def write(frames: Iterable, targets: dict[Form, str], drawn_at: int = 1) -> dict[str, dict]:
    """One pass over ``frames`` (render.draw.frames.Frame), drawn at ``drawn_at`` times
    their CSS pixels, into every target path by its form. Nothing is written unless every
    frame was drawn and every file encoded; then all the files together."""
    for form in targets:
        if form.density not in (drawn_at, drawn_at / 2):
            raise ValueError(f"frames drawn at {drawn_at}x: a {form.density}x file can only be them or their halves")
    coders = {form: encoders.encoder(form.format) for form in targets}
    moving = [form for form in targets if ROLES[form.role].every_frame]
    last, timeline, duration_ms, smallest = None, [], 0, {}
    try:
        for drawn in frames:
            at = At(drawn, drawn_at)
            for form in moving:
                coders[form].add(at(form.density))
            # What a player steps through: each picture once, as long as it is shown (a
            # repeated picture lengthens the one before, as in the GIF and the video).
            shown = at(1)
            if last is not None and np.array_equal(shown.rgb, last(1).rgb):
                timeline[-1]["ms"] += shown.duration_ms
            else:
                timeline.append(_moment(shown))
            last, duration_ms = at, duration_ms + shown.duration_ms
            for key, px in (drawn.text_px or {}).items():  # the smallest of any frame
                smallest[key] = min(px, smallest.get(key, px))
        if last is None:
            raise ValueError("a scene yielded no frames")
        for form in targets:
            if form not in moving:
                coders[form].add(last(form.density))
        # Every encoder is told the frames are over before any is asked for its bytes: a
        # video is encoded by ffmpeg on another core while this process encodes the rest.
        # An interrupt stops ffmpeg too (its close): nothing waits for a file no one keeps.
        for coder in coders.values():
            coder.end()
        files = {path: coders[form].finish() for form, path in targets.items()}
        write_together(files)
    finally:
        for coder in coders.values():
            coder.close()
    made = {}
    for form, path in targets.items():
        frame = last(form.density)
        height, width = frame.rgb.shape[:2]
        made[path] = {"width": width, "height": height, **coders[form].info()}
        text = smallest if form in moving else last(form.density).text_px
        if text:  # in the file's own pixels
            made[path]["text_px"] = {key: round(px * form.density, 2) for key, px in text.items()}
        if form in moving:
            made[path]["duration_ms"] = duration_ms
            if form.role == "animation":  # the player reads the timeline from the GIF's entry
                made[path]["timeline"] = timeline
    return made


class At:
    """A frame as drawn, and its halves, each made once when first asked for."""

    def __init__(self, frame, drawn_at: int):
        self.made = {drawn_at: frame}
        self.drawn_at = drawn_at

    def __call__(self, density: int):
        if density not in self.made:
            self.made[density] = half(self.made[self.drawn_at])
        return self.made[density]


def half(frame):
    """The frame at half its width and height, each pixel the mean of the four it covers
    (rounded half up): how a frame drawn at 2x is shown at 1x."""
    # Pillow's box reduction rounds the same way (a test compares it with the sum of the
    # four), in C: 3.5 times faster than numpy's sums of pairs of rows, then of columns.
    return replace(frame, rgb=np.asarray(Image.fromarray(frame.rgb, "RGB").reduce(2)))


def _moment(frame) -> dict:
    """A frame as a player's timeline holds it: how long, its words, and where the scene
    gave them, its step and its numbers ([column, text] pairs, in the scene's order)."""
    moment = {"ms": frame.duration_ms, "label": frame.label}
    if frame.step is not None:
        moment["step"] = int(frame.step)
    if frame.row:
        moment["row"] = [list(pair) for pair in frame.row]
    return moment
