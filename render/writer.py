"""Frames -> PNG, GIF or MP4 bytes, deterministic, written atomically. Knows nothing of matplotlib."""
from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable

import numpy as np
from PIL import Image

from render.atomic import write_atomic

#: GIF stores delays in hundredths of a second, and browsers slow anything under 20 ms
#: down to 100 ms, so every delay must be a multiple of 10 ms and at least 20 ms.
MIN_DELAY_MS = 20
#: An MP4 shows each frame for a whole number of 20 ms ticks.
VIDEO_FPS = 50
#: x264 settings: constant quality, and nothing in the file that names a version or a
#: time (bitexact flags, no metadata, SEI units, where x264 writes its version, removed).
VIDEO_PARAMS = ["-crf", "20", "-preset", "medium", "-threads", "1", "-movflags", "+faststart",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
                "-bsf:v", "filter_units=remove_types=6"]

#: Palette index meaning "this pixel is as in the previous frame".
TRANSPARENT = 255
#: A frame with at least this share of pixels unchanged is stored as its changes only.
MOSTLY_STILL = 0.95

#: How the 256 palette entries are spent (see global_palette).
EXACT_COLOURS = 96
MEDIAN_CUT_COLOURS = 100


def write(path: str, frames: Iterable) -> None:
    """Write ``frames`` (render.frames.Frame: .rgb and .duration_ms) to ``path``: one to .png, any to .gif or .mp4."""
    frames = list(frames)
    if not frames:
        raise ValueError("a scene yielded no frames")
    sizes = {f.rgb.shape for f in frames}
    if len(sizes) != 1:
        raise ValueError(f"frames differ in size: {sorted(sizes)}")
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".png":
        if len(frames) != 1:
            raise ValueError(f"{path}: a PNG holds one frame, got {len(frames)}")
        data = encode_png(frames[0])
    elif suffix == ".gif":
        data = encode_gif(frames)
    elif suffix == ".mp4":
        data = encode_mp4(frames)
    else:
        raise ValueError(f"{path}: unknown output type {suffix!r}")
    write_atomic(path, data)


def encode_png(frame) -> bytes:
    out = io.BytesIO()
    # No text chunks: no software version or time ends up in the file.
    Image.fromarray(frame.rgb, "RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def encode_gif(frames: list) -> bytes:
    """One palette for the whole animation, mapped exactly; loops forever."""
    for f in frames:
        if f.duration_ms < MIN_DELAY_MS or f.duration_ms % 10:
            raise ValueError(f"frame delay {f.duration_ms} ms: must be a multiple of 10 and >= {MIN_DELAY_MS}")
    # 255 colours: index 255 is kept free to mean "unchanged since the last frame".
    colours = global_palette([f.rgb for f in frames], size=TRANSPARENT)
    table = np.zeros((256, 3), dtype=np.uint8)
    table[: len(colours)] = colours
    images, previous = [], None
    for f in frames:
        indices = np.asarray(_indexed(f.rgb, colours, table))
        stored = indices
        if previous is not None:
            same = indices == previous
            # Mostly still (a line moving over a fixed plot): store only the changes, the
            # rest transparent, which the LZW coder packs to almost nothing. A frame that
            # changes all over (a turning camera) is stored whole: there the speckle of
            # transparent pixels costs more than it saves.
            if same.mean() >= MOSTLY_STILL:
                stored = np.where(same, TRANSPARENT, indices).astype(np.uint8)
        previous = indices
        image = Image.fromarray(stored, "P")
        image.putpalette(table.tobytes())
        images.append(image)
    out = io.BytesIO()
    images[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=[f.duration_ms for f in frames],
        loop=0,
        optimize=False,  # keep the palette whole and shared: it is already the one we want
        palette=table.tobytes(),  # given explicitly, Pillow writes it once, as the global table
        transparency=TRANSPARENT,
        disposal=1,  # leave each frame in place: the next one draws over it
    )
    return out.getvalue()


def encode_mp4(frames: list) -> bytes:
    """H.264 in yuv420p at VIDEO_FPS, each frame repeated for its delay, through imageio's
    ffmpeg plugin (whose wheel carries its own ffmpeg)."""
    import imageio.v2 as imageio  # only videos need it; its start-up is not free

    tick = 1000 // VIDEO_FPS
    for f in frames:
        if f.duration_ms < tick or f.duration_ms % tick:
            raise ValueError(f"frame delay {f.duration_ms} ms: a {VIDEO_FPS} fps video needs multiples of {tick} ms")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "video.mp4")
        video = imageio.get_writer(path, format="FFMPEG", fps=VIDEO_FPS, codec="libx264", pixelformat="yuv420p",
                                   macro_block_size=2, ffmpeg_log_level="error", output_params=VIDEO_PARAMS)
        try:
            for f in frames:
                for _ in range(f.duration_ms // tick):
                    video.append_data(f.rgb)
        finally:
            video.close()
        with open(path, "rb") as f:
            return f.read()


def global_palette(images: list[np.ndarray], size: int = 256) -> np.ndarray:
    """Up to ``size`` RGB colours for all images, in three parts:

    - the EXACT_COLOURS most common colours, kept exactly (background, text, grid, lines);
    - MEDIAN_CUT_COLOURS by median cut over the rest, for the anti-aliased gradients;
    - the remaining slots by farthest-first: the colour worst served so far, again and
      again. Median cut alone lets a small saturated mark (a star, a ball) fall into a
      box of surface shades; farthest-first bounds the worst error instead.
    """
    # Colours and counts frame by frame, merged: never all frames' pixels in one array.
    per_frame = [np.unique(_pack(im), return_counts=True) for im in images]
    every = np.concatenate([c for c, _ in per_frame])
    colours, where = np.unique(every, return_inverse=True)
    counts = np.bincount(where, weights=np.concatenate([n for _, n in per_frame])).astype(np.int64)
    if len(colours) <= size:
        return _unpack(colours)
    # Most common first; ties broken by colour value so the order is deterministic.
    order = np.lexsort((colours, -counts))
    exact = _unpack(colours[order[:EXACT_COLOURS]])
    rest = colours[order[EXACT_COLOURS:]]
    rest_counts = counts[order[EXACT_COLOURS:]]
    # Weighted by how often a colour occurs, capped so a huge flat area cannot take all.
    sample = _unpack(np.repeat(rest, np.minimum(rest_counts, 4)))
    strip = Image.fromarray(sample.reshape(1, -1, 3).astype(np.uint8), "RGB")
    cut = strip.quantize(colors=MEDIAN_CUT_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = np.concatenate([exact, np.array(cut.getpalette()[: 3 * MEDIAN_CUT_COLOURS]).reshape(-1, 3)])
    candidates = _unpack(rest).astype(np.int32)
    nearest = np.concatenate([_distances(chunk, palette).min(axis=1)
                              for chunk in np.array_split(candidates, max(1, len(candidates) // 8192))])
    while len(palette) < size:
        worst = int(np.argmax(nearest))  # first of equals: deterministic
        if nearest[worst] == 0:
            break
        palette = np.vstack([palette, candidates[worst]])
        nearest = np.minimum(nearest, ((candidates - candidates[worst]) ** 2).sum(axis=1))
    return palette.astype(np.int64)


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared RGB distances between every colour of a and every colour of b.

    Uses |a|^2 - 2 a.b + |b|^2 in int32 matrix products: exact for 8-bit colours, and
    without the (len(a), len(b), 3) intermediate that would take gigabytes.
    """
    a, b = a.astype(np.int32), b.astype(np.int32)
    return (a * a).sum(axis=1)[:, None] - 2 * (a @ b.T) + (b * b).sum(axis=1)[None, :]


def _indexed(rgb: np.ndarray, colours: np.ndarray, table: np.ndarray) -> Image.Image:
    """Map every pixel to its nearest palette colour (exact Euclidean nearest)."""
    unique, inverse = np.unique(_pack(rgb).ravel(), return_inverse=True)
    nearest = _distances(_unpack(unique), colours).argmin(axis=1).astype(np.uint8)
    indices = nearest[inverse].reshape(rgb.shape[:2])
    image = Image.fromarray(indices, "P")
    if table is not None:
        image.putpalette(table.tobytes())
    return image


def _pack(rgb: np.ndarray) -> np.ndarray:
    """24-bit colours as one int32 each: half the memory of int64 for every frame."""
    rgb = rgb.astype(np.int32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _unpack(packed: np.ndarray) -> np.ndarray:
    packed = np.asarray(packed, dtype=np.int32)
    return np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=-1)
