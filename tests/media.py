"""Read an asset's size, frame count and duration back from the file itself (for the
tests: the build takes them from the frames it wrote)."""
from __future__ import annotations

import os

from PIL import Image, ImageSequence


def probe(path: str) -> dict:
    """width and height for every file; frames and duration_ms for animations and videos."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".mp4":
        import imageio.v2 as imageio

        reader = imageio.get_reader(path, format="FFMPEG")
        try:
            meta = reader.get_meta_data()
        finally:
            reader.close()
        width, height = meta["size"]
        # Frames have durations of their own (a hold is one frame): the container says how long.
        return {"width": width, "height": height, "duration_ms": int(round(meta["duration"] * 1000))}
    with Image.open(path) as im:
        info = {"width": im.width, "height": im.height}
        if getattr(im, "n_frames", 1) > 1:
            delays = [frame.info.get("duration", 0) for frame in ImageSequence.Iterator(im)]
            info.update(frames=len(delays), duration_ms=int(sum(delays)))
        return info
