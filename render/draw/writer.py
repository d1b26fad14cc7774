"""Frames -> PNG, GIF or MP4 files, deterministic, written atomically. Knows nothing of matplotlib.

Frames are consumed as a scene yields them: each goes to every encoder at once (the GIF
keeps a compact record, the MP4 a raw file on disk), so no list of RGB frames is held in
memory.
The files of one animation are put in place together (render.atomic), once all are made.
Each writer returns what it wrote: every file's size in pixels, and an animation's frames
and duration, for the manifest.
"""
from __future__ import annotations

import io
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
from PIL import Image

from render.atomic import write_together
from render.draw.gif import GifEncoder
from render.draw.timing import TICK_MS, VIDEO_FPS

#: An animation is drawn at this many times its pixels: as such into the player's video
#: and the crisp poster, halved into the GIF and the poster (``half``).
VIDEO_SCALE = 2
#: x264 settings: constant quality (veryfast: 10 % less CPU time than medium for the
#: same size, give or take 5 %), two threads (every video byte for byte what one thread
#: writes, checked on all of them; a lone render's video done 0.2 s sooner), and nothing
#: in the file that names a version or a time (bitexact flags, no metadata, SEI units,
#: where x264 writes its version, removed).
VIDEO_PARAMS = ["-crf", "20", "-preset", "veryfast", "-threads", "2", "-movflags", "+faststart",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
                "-bsf:v", "filter_units=remove_types=6"]


def write(path: str, frames: Iterable) -> dict[str, dict]:
    """Write ``frames`` (render.draw.frames.Frame: .rgb and .duration_ms) to ``path``: one to .png, any to .gif or .mp4."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".png":
        return write_still(path, frames)
    if suffix in (".gif", ".mp4"):
        return write_animation(frames, **{suffix[1:]: path})
    raise ValueError(f"{path}: unknown output type {suffix!r}")


def write_still(path: str, frames: Iterable, crisp: tuple | None = None,
                vector: tuple | None = None) -> dict[str, dict]:
    """One frame to a PNG and, put in place together with it, ``crisp``: (path, a Frame of
    more pixels, written as PNG), and ``vector``: (path, the SVG's bytes, which is the
    PNG's size in CSS pixels)."""
    frames = list(frames)
    if len(frames) != 1:
        raise ValueError(f"{path}: a PNG holds one frame, got {len(frames)}")
    files, made = {path: encode_png(frames[0])}, {path: _size(frames[0])}
    if crisp:
        files[crisp[0]], made[crisp[0]] = encode_png(crisp[1]), _size(crisp[1])
    if vector:
        files[vector[0]], made[vector[0]] = vector[1], _size(frames[0])
    write_together(files)
    return made


def write_animation(frames: Iterable, gif: str | None = None, poster: str | None = None,
                    mp4: str | None = None, crisp_poster: str | None = None,
                    drawn_at: int = 1) -> dict[str, dict]:
    """One pass over ``frames`` into any of a GIF, a poster (the last frame, PNG), an MP4
    and a crisp poster (the last frame as drawn).

    ``drawn_at`` 2 (VIDEO_SCALE): the frames are drawn at twice the pixels; the MP4 and the
    crisp poster take them as they are, the GIF and the poster each halved (``half``).
    Nothing is written unless every frame was drawn; then all the files together.
    """
    if drawn_at not in (1, 2):
        raise ValueError(f"frames drawn at {drawn_at}x: the GIF can only halve them")
    encoders = {path: encoder() for path, encoder in ((gif, GifEncoder), (mp4, Mp4Encoder)) if path}
    last, drawn, duration_ms, timeline = None, None, 0, []
    try:
        for drawn in frames:
            frame = half(drawn) if drawn_at == 2 else drawn
            if gif:
                encoders[gif].add(frame)
            if mp4:
                encoders[mp4].add(drawn)
            # What a player steps through: each picture once, as long as it is shown (a
            # repeated picture lengthens the one before, as in the GIF and the MP4).
            if last is not None and np.array_equal(frame.rgb, last.rgb):
                timeline[-1]["ms"] += frame.duration_ms
            else:
                timeline.append(_moment(frame))
            last, duration_ms = frame, duration_ms + frame.duration_ms
        if last is None:
            raise ValueError("a scene yielded no frames")
        # ffmpeg encodes on another core while this process encodes the GIF and the
        # posters. An interrupt here stops ffmpeg too (Mp4Encoder.close): nothing waits for
        # a video no one will keep.
        if mp4:
            encoders[mp4].start()
        files = {gif: encoders[gif].finish()} if gif else {}
        if poster:
            files[poster] = encode_png(last)
        if crisp_poster:
            files[crisp_poster] = encode_png(drawn)
        if mp4:
            files[mp4] = encoders[mp4].finish()
        write_together(files)
    finally:
        for encoder in encoders.values():
            encoder.close()
    made = {}
    if gif:  # repeated frames are merged into one longer delay, so the GIF may hold fewer
        made[gif] = dict(_size(last), frames=encoders[gif].frames_written, duration_ms=duration_ms,
                         timeline=timeline)
    if mp4:
        made[mp4] = dict(_size(drawn), duration_ms=duration_ms)
    if poster:
        made[poster] = _size(last)
    if crisp_poster:
        made[crisp_poster] = _size(drawn)
    return made


def timestamps(ticks: list[int]) -> list[int]:
    """Where each frame starts, in ticks, as the video is sent: every frame once, then the
    last again on its final tick (a video's last frame lasts one tick, so that is where the
    video ends: at the sum of the ticks)."""
    starts = np.concatenate([[0], np.cumsum(ticks)[:-1]]).tolist()
    if ticks[-1] > 1:
        starts.append(starts[-1] + ticks[-1] - 1)
    return starts


def _expression(starts: list[int]) -> str:
    """An ffmpeg expression of the frame number N giving frame N's start (``starts``),
    in the stream's time base, for the setpts filter (inside its single quotes)."""
    steps = "+".join(f"gte(N,{n})*{b - a}" for n, (a, b) in enumerate(zip(starts, starts[1:]), 1))
    return f"({steps or 0})/({VIDEO_FPS}*TB)"  # ticks over ticks per second: seconds


def half(frame):
    """The frame at half its width and height, each pixel the mean of the four it covers
    (rounded half up): how a frame drawn at VIDEO_SCALE is shown at 1x."""
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


def _size(frame) -> dict:
    height, width = frame.rgb.shape[:2]
    return {"width": width, "height": height}


def encode_png(frame) -> bytes:
    """A frame as a 256-colour PNG: under half the bytes of a full-colour one, for a
    picture of flat colours and their anti-aliased edges that Pillow's maximum-coverage
    quantizer maps within a few levels (a mean of under one level in 255; the GIFs are
    256 colours too). What a phone fetches first is a PNG: its bytes are the page's
    largest contentful paint."""
    out = io.BytesIO()
    image = Image.fromarray(frame.rgb, "RGB").quantize(256, method=Image.Quantize.MAXCOVERAGE,
                                                       dither=Image.Dither.NONE)
    # No text chunks: no software version or time ends up in the file. zlib's default
    # level: a quarter of the time of its best (optimize) for 1 to 3 % more bytes.
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


class Mp4Encoder:
    """H.264 in yuv420p with variable frame durations, by the ffmpeg that imageio-ffmpeg's
    wheel carries.

    A frame is shown for a whole number of ticks (render.draw.timing). ffmpeg gets each frame
    once, and its start, in ticks, from a setpts expression (``timestamps``): x264 spends
    its time on the frames, not on a 2.5 s hold repeated tick by tick, and ffmpeg is not
    fed the repeats (at twice the pixels those cost more than the drawing). The last frame
    is sent a second time for its final tick, which fixes where the video ends: exactly
    where the GIF does. That needs the last frame's hold, known only at the end: frames go
    to a raw file on disk as they arrive, and ffmpeg runs from ``start`` (fed from a
    thread, while the caller encodes the GIF) to ``finish``.

    The command is the one imageio's ffmpeg writer runs for these settings, written out
    here so that this process holds ffmpeg's handle: ffmpeg runs in a session of its own
    (a terminal's Ctrl-C reaches this process, not it), and an interrupt kills it at once
    (``close``) instead of waiting for a video no one will keep.
    """

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.folder.name, "video.mp4")
        self.raw = open(os.path.join(self.folder.name, "frames.rgb"), "w+b")
        self.ticks = []  # per frame, how many ticks it is shown
        self.shape = None
        self.ffmpeg = None
        self.thread, self.error = None, None

    def add(self, frame) -> None:
        if frame.duration_ms < TICK_MS or frame.duration_ms % TICK_MS:
            raise ValueError(f"frame delay {frame.duration_ms} ms: a {VIDEO_FPS} fps video needs multiples of "
                             f"{TICK_MS} ms")
        if self.shape is None:
            self.shape = frame.rgb.shape
        elif frame.rgb.shape != self.shape:
            raise ValueError(f"frames differ in size: {sorted({self.shape, frame.rgb.shape})}")
        self.raw.write(np.ascontiguousarray(frame.rgb).tobytes())
        self.ticks.append(frame.duration_ms // TICK_MS)

    def start(self) -> None:
        """Feed the frames to ffmpeg from a thread of this process (``finish`` waits for it)."""
        self.thread = threading.Thread(target=self._encode, name="mp4")
        self.thread.start()

    def finish(self) -> bytes:
        if self.thread is None:
            self._encode()
        else:
            self.thread.join()
            if self.error is not None:
                raise self.error
        with open(self.path, "rb") as f:
            return f.read()

    def command(self, starts: list[int]) -> list[str]:
        import imageio_ffmpeg  # only videos need it

        height, width = self.shape[:2]
        if width % 2 or height % 2:  # yuv420p halves the colour planes
            raise ValueError(f"a {width}x{height} video: yuv420p needs even sides")
        # No B-frames: with the gaps between frames they shift the container's duration
        # (5.40 s for a 6.54 s video), and they save nothing on so few frames.
        retimed = ["-vf", f"setpts='{_expression(starts)}'", "-fps_mode", "vfr", "-bf", "0"]
        return [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-f", "rawvideo", "-vcodec", "rawvideo",
                "-s", f"{width}x{height}", "-pix_fmt", "rgb24", "-r", str(VIDEO_FPS), "-i", "-", "-an",
                "-vcodec", "libx264", "-pix_fmt", "yuv420p", "-v", "error", *VIDEO_PARAMS, *retimed, self.path]

    def _encode(self) -> None:
        try:
            starts = timestamps(self.ticks)
            self.ffmpeg = subprocess.Popen(self.command(starts), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                           start_new_session=True)
            size = int(np.prod(self.shape))
            self.raw.seek(0)
            for _ in self.ticks:
                frame = self.raw.read(size)
                self.ffmpeg.stdin.write(frame)
            if len(starts) > len(self.ticks):
                self.ffmpeg.stdin.write(frame)  # the last frame again, for its final tick
            self.ffmpeg.stdin.close()
            if self.ffmpeg.wait():
                raise RuntimeError(f"ffmpeg failed (exit status {self.ffmpeg.returncode}) writing {self.path}")
        except Exception as e:  # raised again where the caller waits for the video
            if self.thread is None:
                raise
            self.error = e

    def close(self) -> None:
        if self.ffmpeg is not None and self.ffmpeg.poll() is None:
            self.ffmpeg.kill()  # interrupted: the video is not wanted, and must stop writing
        if self.thread is not None:
            self.thread.join()
        if self.ffmpeg is not None:
            self.ffmpeg.wait()
            self.ffmpeg.stdin.close()
        self.raw.close()
        self.folder.cleanup()
