"""Frames -> the bytes of one file, an encoder per format, found by name in a registry as
matplotlib's animation writers are (``@register("png", "image/png")``).

Every encoder speaks one protocol: ``add(frame)`` for each frame it is given (a picture
format gets one, the last; a moving one every frame), ``end()`` once no frame will come
(it may start encoding in the background), ``finish()`` for the bytes (waiting if need
be), ``close()`` always, last, and ``info()`` for what the manifest should know besides
the file's size in pixels. The writer (render/draw/writer.py) decides which frames and at
which density; an encoder knows nothing of roles or paths. Adding a format is one encoder
here and one row of render/outputs.py's table. Nothing here writes a time or a version
into a file: the same frames give the same bytes.
"""
from __future__ import annotations

import io
import os
import subprocess
import tempfile
import threading

import numpy as np
from PIL import Image

from render.draw.gif import GifEncoder
from render.draw.timing import TICK_MS, VIDEO_FPS

#: Encoders by format, and each format's media type (what a page's <source type> says).
ENCODERS: dict[str, type] = {}
MEDIA_TYPES: dict[str, str] = {}


def register(format: str, media_type: str):
    """A class decorator: the encoder of ``format``."""
    def add(cls):
        ENCODERS[format] = cls
        MEDIA_TYPES[format] = media_type
        return cls
    return add


def unregister(format: str) -> None:
    ENCODERS.pop(format, None)
    MEDIA_TYPES.pop(format, None)


def encoder(format: str):
    if format not in ENCODERS:
        raise ValueError(f"no encoder for format {format!r} (formats: {', '.join(sorted(ENCODERS))})")
    return ENCODERS[format]()


class Encoder:
    """The protocol, with what most encoders need: frames kept as given."""

    def __init__(self):
        self.frames = []

    def add(self, frame) -> None:
        self.frames.append(frame)

    def end(self) -> None:
        pass

    def finish(self) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def info(self) -> dict:
        return {}

    def only_frame(self):
        if len(self.frames) != 1:
            raise ValueError(f"a picture holds one frame, got {len(self.frames)}")
        return self.frames[0]


@register("png", "image/png")
class PngEncoder(Encoder):
    """A frame as a true-colour PNG, every pixel as drawn: the file a browser without AVIF
    shows, and the one to download. (A 256-colour palette halved the bytes but made
    blocks of the bowl's shading and turned grey panes white.)"""

    def finish(self) -> bytes:
        out = io.BytesIO()
        # No text chunks: no software version or time ends up in the file. zlib's default
        # level: a quarter of the time of its best (optimize) for 1 to 3 % more bytes.
        Image.fromarray(self.only_frame().rgb, "RGB").save(out, format="PNG", compress_level=6)
        return out.getvalue()


#: AVIF, as libavif in Pillow's wheel encodes it: 4:4:4 (no colour halved: text and thin
#: lines keep their edges), one thread (the bytes depend on the thread count), speed 8
#: (a fifth of speed 6's time for 15 % more bytes), and quality 70, measured on the bowl's
#: shading at 2x: 57 KB against the PNG's 243 KB, a mean error of 0.41 levels in 255 (99 %
#: of pixels within 6); at 60, 49 KB but blocks in the shading; at 80, 69 KB for 0.33.
AVIF_PARAMS = {"quality": 70, "subsampling": "4:4:4", "speed": 8, "max_threads": 1}


@register("avif", "image/avif")
class AvifEncoder(Encoder):
    """A frame as AVIF: what a page offers first, a third of the true-colour PNG's bytes."""

    def finish(self) -> bytes:
        out = io.BytesIO()
        Image.fromarray(self.only_frame().rgb, "RGB").save(out, format="AVIF", **AVIF_PARAMS)
        return out.getvalue()


@register("svg", "image/svg+xml")
class SvgEncoder(Encoder):
    """The still as the vectors matplotlib drew it (the frame carries them, see
    render/draw/frames.py): its size is the picture's in CSS pixels."""

    #: The frame must carry its figure's vectors (render/pipeline/render_one.py asks).
    vector = True

    def finish(self) -> bytes:
        vector = self.only_frame().vector
        if vector is None:
            raise ValueError("an SVG needs the frame's vectors: the scene's shot was drawn without them")
        return vector


@register("gif", "image/gif")
class Gif(GifEncoder):
    """The GIF encoder (render/draw/gif.py) in the registry's protocol."""

    def end(self) -> None:
        pass

    def info(self) -> dict:
        # Repeated frames are merged into one longer delay, so the GIF may hold fewer.
        return {"frames": self.frames_written}


#: x264 settings: constant quality 24 (a frame at 2x differs from quality 20's by 0.3
#: levels in 255 on average, nothing the eye finds on these flat colours, for a fifth
#: fewer bytes: the output folder keeps to its 16 MB), veryfast (10 % less
#: CPU time than medium for the same size, give or take 5 %), two threads (every video byte for byte what one thread
#: writes, checked on all of them; a lone render's video done 0.2 s sooner), and nothing
#: in the file that names a version or a time (bitexact flags, no metadata, SEI units,
#: where x264 writes its version, removed).
VIDEO_PARAMS = ["-crf", "24", "-preset", "veryfast", "-threads", "2", "-movflags", "+faststart",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
                "-bsf:v", "filter_units=remove_types=6"]


@register("mp4", "video/mp4")
class Mp4Encoder(Encoder):
    """H.264 in yuv420p with variable frame durations, by the ffmpeg that imageio-ffmpeg's
    wheel carries.

    A frame is shown for a whole number of ticks (render.draw.timing). ffmpeg gets each frame
    once, and its start, in ticks, from a setpts expression (``timestamps``): x264 spends
    its time on the frames, not on a 2.5 s hold repeated tick by tick, and ffmpeg is not
    fed the repeats (at twice the pixels those cost more than the drawing). The last frame
    is sent a second time for its final tick, which fixes where the video ends: exactly
    where the GIF does. That needs the last frame's hold, known only at the end: frames go
    to a raw file on disk as they arrive, and ffmpeg runs from ``end`` (fed from a thread,
    while the writer encodes the GIF) to ``finish``.

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

    def end(self) -> None:
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
        # The frames' times, as a filter read from a file: an expression of a frame per
        # term is as long as the animation, which a command line need not hold.
        script = os.path.join(self.folder.name, "retime.txt")
        with open(script, "w") as f:
            f.write(f"setpts='{expression(starts)}'")
        # No B-frames: with the gaps between frames they shift the container's duration
        # (5.40 s for a 6.54 s video), and they save nothing on so few frames.
        retimed = ["-/vf", script, "-fps_mode", "vfr", "-bf", "0"]
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


def timestamps(ticks: list[int]) -> list[int]:
    """Where each frame starts, in ticks, as the video is sent: every frame once, then the
    last again on its final tick (a video's last frame lasts one tick, so that is where the
    video ends: at the sum of the ticks)."""
    starts = np.concatenate([[0], np.cumsum(ticks)[:-1]]).tolist()
    if ticks[-1] > 1:
        starts.append(starts[-1] + ticks[-1] - 1)
    return starts


def expression(starts: list[int]) -> str:
    """An ffmpeg expression of the frame number N giving frame N's start (``starts``), in
    seconds of the stream's time base, for the setpts filter: a balanced tree of ifs, so
    that its depth grows with the logarithm of the frames (ffmpeg's parser refuses a sum
    of about 100 terms, one a frame, nested as deep)."""
    def start(low: int, high: int) -> str:  # frames low .. high - 1
        if high - low == 1:
            return str(starts[low])
        middle = (low + high) // 2
        return f"if(lt(N,{middle}),{start(low, middle)},{start(middle, high)})"

    return f"({start(0, len(starts))})/({VIDEO_FPS}*TB)"  # ticks over ticks per second: seconds
