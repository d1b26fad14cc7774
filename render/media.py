"""Read an asset's size, frame count and duration back from the file itself."""
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
            frames = reader.count_frames()
        finally:
            reader.close()
        width, height = meta["size"]
        return {"width": width, "height": height, "frames": frames,
                "duration_ms": int(round(frames * 1000 / meta["fps"]))}
    with Image.open(path) as im:
        info = {"width": im.width, "height": im.height}
        if getattr(im, "n_frames", 1) > 1:
            delays = [frame.info.get("duration", 0) for frame in ImageSequence.Iterator(im)]
            info.update(frames=len(delays), duration_ms=int(sum(delays)))
        return info
