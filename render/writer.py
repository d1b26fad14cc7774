"""Frames -> PNG, GIF or MP4 files, deterministic, written atomically. Knows nothing of matplotlib.

Frames are consumed as a scene yields them: each goes to every encoder at once (the GIF
keeps a compact record, the MP4 streams into ffmpeg), so no list of RGB frames is held.
"""
from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable

from PIL import Image

from render.atomic import write_atomic
from render.gif import GifEncoder

#: An MP4 shows each frame for a whole number of 20 ms ticks.
VIDEO_FPS = 50
#: x264 settings: constant quality, and nothing in the file that names a version or a
#: time (bitexact flags, no metadata, SEI units, where x264 writes its version, removed).
VIDEO_PARAMS = ["-crf", "20", "-preset", "medium", "-threads", "1", "-movflags", "+faststart",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
                "-bsf:v", "filter_units=remove_types=6"]


def write(path: str, frames: Iterable) -> None:
    """Write ``frames`` (render.frames.Frame: .rgb and .duration_ms) to ``path``: one to .png, any to .gif or .mp4."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".png":
        frames = list(frames)
        if len(frames) != 1:
            raise ValueError(f"{path}: a PNG holds one frame, got {len(frames)}")
        write_atomic(path, encode_png(frames[0]))
    elif suffix in (".gif", ".mp4"):
        write_animation(frames, **{suffix[1:]: path})
    else:
        raise ValueError(f"{path}: unknown output type {suffix!r}")


def write_animation(frames: Iterable, gif: str | None = None, poster: str | None = None,
                    mp4: str | None = None, on_frame=None) -> int:
    """One pass over ``frames`` into any of a GIF, a poster (the last frame, PNG) and an MP4.

    Nothing is written unless every frame was drawn; then each file atomically. Calls
    ``on_frame(count)`` after each frame (progress). Returns the number of frames.
    """
    encoders = ([GifEncoder()] if gif else []) + ([Mp4Encoder()] if mp4 else [])
    last, count = None, 0
    try:
        for frame in frames:
            for encoder in encoders:
                encoder.add(frame)
            last, count = frame, count + 1
            if on_frame:
                on_frame(count)
        if last is None:
            raise ValueError("a scene yielded no frames")
        for path, encoder in zip([p for p in (gif, mp4) if p], encoders):
            write_atomic(path, encoder.finish())
        if poster:
            write_atomic(poster, encode_png(last))
    finally:
        for encoder in encoders:
            encoder.close()
    return count


def encode_png(frame) -> bytes:
    out = io.BytesIO()
    # No text chunks: no software version or time ends up in the file.
    Image.fromarray(frame.rgb, "RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


class Mp4Encoder:
    """H.264 in yuv420p at VIDEO_FPS, each frame repeated for its delay, streamed into
    imageio's ffmpeg plugin (whose wheel carries its own ffmpeg) as frames arrive."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.folder.name, "video.mp4")
        self.video = None
        self.shape = None

    def add(self, frame) -> None:
        tick = 1000 // VIDEO_FPS
        if frame.duration_ms < tick or frame.duration_ms % tick:
            raise ValueError(f"frame delay {frame.duration_ms} ms: a {VIDEO_FPS} fps video needs multiples of {tick} ms")
        if self.video is None:
            import imageio.v2 as imageio  # only videos need it; its start-up is not free

            self.shape = frame.rgb.shape
            self.video = imageio.get_writer(self.path, format="FFMPEG", fps=VIDEO_FPS, codec="libx264",
                                            pixelformat="yuv420p", macro_block_size=2, ffmpeg_log_level="error",
                                            output_params=VIDEO_PARAMS)
        elif frame.rgb.shape != self.shape:
            raise ValueError(f"frames differ in size: {sorted({self.shape, frame.rgb.shape})}")
        for _ in range(frame.duration_ms // tick):
            self.video.append_data(frame.rgb)

    def finish(self) -> bytes:
        self.video.close()
        with open(self.path, "rb") as f:
            return f.read()

    def close(self) -> None:
        if self.video is not None:
            self.video.close()  # a second close is harmless
        self.folder.cleanup()
