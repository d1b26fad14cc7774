"""Read an asset's size, frame count and duration back from the file itself (for the
tests: the build takes them from the frames it wrote)."""
from __future__ import annotations

import os
import struct

from PIL import Image, ImageSequence


def probe(path: str) -> dict:
    """width and height for every file; frames and duration_ms for animations and videos."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".mp4":
        with open(path, "rb") as f:
            return mp4_header(f.read())
    with Image.open(path) as im:
        info = {"width": im.width, "height": im.height}
        if getattr(im, "n_frames", 1) > 1:
            delays = [frame.info.get("duration", 0) for frame in ImageSequence.Iterator(im)]
            info.update(frames=len(delays), duration_ms=int(sum(delays)))
        return info


def _boxes(data: bytes, start: int = 0, end: int | None = None):
    """An ISO media file's boxes between ``start`` and ``end``: (type, body start, body end)."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        header = 8
        if size == 1:  # a 64-bit size follows
            size, header = struct.unpack(">Q", data[start + 8:start + 16])[0], 16
        elif size == 0:  # to the end
            size = end - start
        yield kind.decode("latin-1"), start + header, start + size
        start += size


def mp4_header(data: bytes) -> dict:
    """The movie's duration (its mvhd box) and the video track's size (its tkhd box), read
    from the container as a player reads them, without running ffmpeg."""
    moov = next((s, e) for kind, s, e in _boxes(data) if kind == "moov")
    info = {}
    for kind, s, e in _boxes(data, *moov):
        if kind == "mvhd":
            version = data[s]
            timescale, duration = (struct.unpack(">IQ", data[s + 20:s + 32]) if version == 1
                                   else struct.unpack(">II", data[s + 12:s + 20]))
            info["duration_ms"] = int(round(duration * 1000 / timescale))
        elif kind == "trak":
            for inner, ts, te in _boxes(data, s, e):
                if inner == "tkhd":
                    width, height = struct.unpack(">II", data[te - 8:te])  # 16.16 fixed point
                    if width:  # the video track (an audio track has none)
                        info["width"], info["height"] = width >> 16, height >> 16
    return info


def mp4_samples(data: bytes) -> list[int]:
    """The video track's samples (frames as stored) and how long each is shown, in ms:
    its time-to-sample table (stts) over its media timescale (mdhd)."""
    moov = next((s, e) for kind, s, e in _boxes(data) if kind == "moov")
    for kind, s, e in _boxes(data, *moov):
        if kind != "trak":
            continue
        mdia = next((ms, me) for inner, ms, me in _boxes(data, s, e) if inner == "mdia")
        timescale, durations = None, None
        for inner, ms, me in _boxes(data, *mdia):
            if inner == "mdhd":
                version = data[ms]
                timescale = struct.unpack(">I", data[ms + 20:ms + 24] if version == 1 else data[ms + 12:ms + 16])[0]
            elif inner == "minf":
                stbl = next((bs, be) for box, bs, be in _boxes(data, ms, me) if box == "stbl")
                stts = next((ts, te) for box, ts, te in _boxes(data, *stbl) if box == "stts")
                (count,) = struct.unpack(">I", data[stts[0] + 4:stts[0] + 8])
                durations = []
                for i in range(count):
                    samples, delta = struct.unpack(">II", data[stts[0] + 8 + 8 * i:stts[0] + 16 + 8 * i])
                    durations += [delta] * samples
        if durations is not None:
            return [int(round(d * 1000 / timescale)) for d in durations]
    raise ValueError("no track with a time-to-sample table")


def avif_subsampling(data: bytes) -> tuple[int, int]:
    """An AVIF's chroma subsampling, (x, y), from its AV1 configuration (av1C): (0, 0) is
    4:4:4, (1, 1) 4:2:0."""
    at = data.index(b"av1C") + 4
    flags = data[at + 2]  # tier, high bit depth, twelve bit, monochrome, subsampling x, y, position
    return (flags >> 3) & 1, (flags >> 2) & 1
