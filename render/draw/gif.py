"""Frames -> one GIF: a global palette mapped exactly, each frame stored as its changes only.

Frames arrive one at a time (``add``) and are kept compactly until ``finish``: a frame
that differs from the one before in under a quarter of its pixels keeps only those, any
other all of them, in both cases as indices (2 bytes a pixel) into the frame's own list
of colours. No frame is held as RGB. The palette can only be chosen once every colour is
known, so mapping and encoding wait for ``finish``; the counting and indexing are done in
``add``, while the next frames are drawn.

Each stored frame is the rectangle that changed since the frame before, once with the
unchanged pixels transparent and once without, whichever compresses smaller. Pillow
compresses each rectangle; this module writes the container around them, so every byte
in the file is chosen here (gifsicle -O3 finds almost nothing left, see `make bench`).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from render.draw.timing import TICK_MS

#: Palette index meaning "this pixel is as in the previous frame".
TRANSPARENT = 255
#: How the palette's 255 colours are spent (see choose_palette).
EXACT_COLOURS = 96
MEDIAN_CUT_COLOURS = 100
#: At most this many samples go into the median cut (it is the palette's slowest part).
MEDIAN_CUT_SAMPLE = 1 << 15
#: Largest block of the colour-distance matrix computed at once (entries).
DISTANCE_BLOCK = 1 << 16
#: Pixels handled at once where a whole frame's temporaries would add up (peak memory).
BLOCK_PX = 1 << 16
#: Past this share of its pixels changed, a frame is kept whole: a changed pixel costs a
#: position and an index (6 bytes), a whole frame 2 bytes a pixel.
WHOLE_FRAME_SHARE = 0.25
#: A colour whose nearest entry is further than this (in levels, Euclidean over R, G, B)
#: is dithered: the table cannot hold a smooth shading, and its nearest entries alone
#: would draw it in bands. Flat colours and most edges are held within it, and stay put.
DITHER_FROM = 3.0
#: How far a dithered colour may be pushed, in its own errors: about the spacing of the
#: entries around it (its error is at most half that), so that neighbours take both.
DITHER_SPREAD = 2.0
#: The 4x4 Bayer matrix, as offsets from -0.47 to 0.47 of a pixel's spread.
BAYER = (np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]) + 0.5) / 16 - 0.5


@dataclass(frozen=True)
class StoredFrame:
    """One frame as kept until ``finish``: its pixels as indices into its own colours."""

    changed: np.ndarray | None  # positions (int32) that differ from the frame before; None: every pixel
    colours: np.ndarray  # the distinct packed colours of those pixels, sorted
    indices: np.ndarray  # each such pixel as an index into ``colours``
    delay_ms: int


@dataclass(frozen=True)
class ColourCount:
    """How often each colour is shown in a frame: its own counts when ``whole``, else the
    change from the frame before (colours that left count negative)."""

    colours: np.ndarray
    counts: np.ndarray
    whole: bool


@dataclass(frozen=True)
class Palette:
    """The GIF's colour table, and every colour seen mapped to its nearest entry, and how
    far that entry is from it."""

    table: np.ndarray  # (256, 3) uint8; index TRANSPARENT stays free
    colours: np.ndarray  # every packed colour seen, sorted
    nearest: np.ndarray  # for each of them, its table index
    error: np.ndarray  # for each of them, its distance to that entry, in levels

    def indices(self, frame: StoredFrame, width: int) -> np.ndarray:
        """The frame's pixels as table indices: each colour its nearest entry, but where
        that entry is off by more than DITHER_FROM levels (a smooth shading the table
        cannot hold, like the bowl's), dithered: an ordered (Bayer) offset, about as large
        as the spacing of the entries there, before choosing. The offset depends on the
        pixel's place alone, so a pixel that does not change keeps its index from frame to
        frame (the GIF stores changes only), and the same frames give the same bytes."""
        which = np.searchsorted(self.colours, frame.colours)[frame.indices]
        mapped = self.nearest[which]
        rough = np.flatnonzero(self.error[which] > DITHER_FROM)
        if rough.size:
            where = rough if frame.changed is None else frame.changed[rough]
            threshold = BAYER[(where // width) % 4, (where % width) % 4]
            shifted = unpack(self.colours[which[rough]]) + (threshold * DITHER_SPREAD * self.error[which[rough]])[:, None]
            mapped[rough] = nearest_index(np.clip(shifted, 0, 255), self.table[:TRANSPARENT].astype(np.int64))
        return mapped


class GifEncoder:
    """Collects frames (render.draw.frames.Frame: .rgb and .duration_ms); ``finish`` gives the bytes."""

    def __init__(self):
        self.shape = None
        self.previous = None  # the last frame's RGB pixels, (height * width, 3)
        self.stored: list[StoredFrame] = []
        self.counts: list[ColourCount] = []
        self.frames_written = 0  # after finish: frames in the file (repeats merge into one)

    def add(self, frame) -> None:
        if frame.duration_ms < TICK_MS or frame.duration_ms % TICK_MS:
            raise ValueError(f"frame delay {frame.duration_ms} ms: must be a multiple of {TICK_MS} ms")
        if self.shape is None:
            self.shape = frame.rgb.shape
        elif frame.rgb.shape != self.shape:
            raise ValueError(f"frames differ in size: {sorted({self.shape, frame.rgb.shape})}")
        rgb = frame.rgb.reshape(-1, 3)
        changed = None if self.previous is None else _changed(rgb, self.previous)
        if changed is not None and len(changed) < WHOLE_FRAME_SHARE * len(rgb):
            colours, inverse, counts = np.unique(pack(rgb[changed]), return_inverse=True, return_counts=True)
            self.stored.append(StoredFrame(changed, colours, inverse.astype(_index_type(colours)), frame.duration_ms))
            gone, gone_counts = np.unique(pack(self.previous[changed]), return_counts=True)
            self.counts.append(ColourCount(np.concatenate([colours, gone]), np.concatenate([counts, -gone_counts]),
                                           whole=False))
        else:
            colours, counts, inverse = _count(rgb)
            self.stored.append(StoredFrame(None, colours, inverse, frame.duration_ms))
            self.counts.append(ColourCount(colours, counts, whole=True))
        self.previous = rgb  # the frame's own pixels: a Frame is never changed once made

    def close(self) -> None:
        self.stored, self.counts, self.previous = [], [], None

    def _shown(self):
        """Every colour and how many times it is shown over all frames: the palette weighs
        colours as the viewer sees them (a still background counts in every frame), which
        compresses better than weighing only what each frame stores."""
        # A frame's counts (whole, or a change) hold for it and every frame up to the next
        # whole one.
        spans, upto = [], len(self.counts)
        for i in reversed(range(len(self.counts))):
            spans.append(upto - i)
            if self.counts[i].whole:
                upto = i
        spans.reverse()
        colours, where = np.unique(np.concatenate([c.colours for c in self.counts]), return_inverse=True)
        weights = np.concatenate([c.counts * span for c, span in zip(self.counts, spans)])
        return colours, np.rint(np.bincount(where, weights=weights)).astype(np.int64)

    def finish(self) -> bytes:
        if not self.stored:
            raise ValueError("a scene yielded no frames")
        return self.write(self.palette())

    def palette(self) -> Palette:
        """One palette for the whole animation, from every colour as often as it is shown."""
        colours, counts = self._shown()
        chosen = choose_palette(colours, counts, size=TRANSPARENT)  # index 255 stays free
        table = np.zeros((256, 3), dtype=np.uint8)
        table[: len(chosen)] = chosen
        index, distance = _nearest(unpack(colours), chosen)
        # An unused slot would be black, which a dithered pixel could pick: it repeats the
        # first entry instead.
        table[len(chosen): TRANSPARENT] = table[0]
        return Palette(table, colours, index.astype(np.uint8), np.sqrt(distance))

    def write(self, palette: Palette) -> bytes:
        """The GIF file: each frame as the rectangle that changed, in ``palette``."""
        height, width = self.shape[:2]
        table = palette.table
        out = io.BytesIO()
        out.write(b"GIF89a" + _u16(width) + _u16(height) + bytes([0xF7, 0, 0]) + table.tobytes())
        out.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + _u16(0) + b"\x00")  # loop forever
        shown = None
        pending = None  # (rectangle, image, transparent) waiting for its delay
        delay = 0
        self.frames_written = 0
        for frame in self.stored:
            ms = frame.delay_ms
            mapped = palette.indices(frame, width)
            if frame.changed is None:
                indices = mapped
            else:
                indices = shown.copy()
                indices[frame.changed] = mapped
            if shown is None:
                block = ((0, 0, width, height), _lzw(indices.reshape(height, width), table), False)
            else:
                block = _delta(shown.reshape(height, width), indices.reshape(height, width), table)
            if block is None:  # maps to the same picture: show the last one longer
                delay += ms
                continue
            if pending is not None:
                _write_frame(out, pending, delay)
                self.frames_written += 1
            pending, delay, shown = block, ms, indices
        _write_frame(out, pending, delay)
        self.frames_written += 1
        out.write(b"\x3b")
        return out.getvalue()


def _changed(rgb: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """Positions (int32) of the pixels whose colour differs from ``previous``."""
    found = []
    for start in range(0, len(rgb), BLOCK_PX):
        differs = rgb[start: start + BLOCK_PX] != previous[start: start + BLOCK_PX]
        found.append(np.flatnonzero(differs[:, 0] | differs[:, 1] | differs[:, 2]).astype(np.int32) + start)
    return np.concatenate(found)


def _count(rgb: np.ndarray):
    """A whole frame's distinct packed colours, how often each occurs, and each pixel as
    an index into them (uint16 when they fit): block by block, for peak memory. Done as
    the frame arrives, while workers draw the next ones, so that ``finish`` has less to do."""
    blocks = [np.unique(pack(rgb[start: start + BLOCK_PX]), return_counts=True)
              for start in range(0, len(rgb), BLOCK_PX)]
    colours, where = np.unique(np.concatenate([c for c, _ in blocks]), return_inverse=True)
    counts = np.bincount(where, weights=np.concatenate([n for _, n in blocks])).astype(np.int64)
    inverse = np.empty(len(rgb), _index_type(colours))
    for start in range(0, len(rgb), BLOCK_PX):
        inverse[start: start + BLOCK_PX] = np.searchsorted(colours, pack(rgb[start: start + BLOCK_PX]))
    return colours, counts, inverse


def _index_type(colours: np.ndarray):
    """The smallest type that indexes ``colours``: pixels are held as such indices."""
    return np.uint16 if len(colours) <= 1 << 16 else np.int32


def _delta(before: np.ndarray, after: np.ndarray, table: np.ndarray):
    """The rectangle that changed, stored as whichever of its two forms is smaller."""
    changed = before != after
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    if not rows.size:
        return None
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    crop = after[top:bottom, left:right]
    rectangle = (int(left), int(top), int(right - left), int(bottom - top))
    plain = _lzw(crop, table)
    masked = _lzw(np.where(changed[top:bottom, left:right], crop, TRANSPARENT).astype(np.uint8), table)
    return (rectangle, masked, True) if len(masked) < len(plain) else (rectangle, plain, False)


def _lzw(indices: np.ndarray, table: np.ndarray) -> bytes:
    """Pillow's LZW data for one rectangle of palette indices (code size 8, not interlaced)."""
    image = Image.fromarray(np.ascontiguousarray(indices, dtype=np.uint8), "P")
    image.putpalette(table.tobytes())
    buffer = io.BytesIO()
    image.save(buffer, format="GIF", interlace=False, optimize=False)
    return _image_data(buffer.getvalue())


def _image_data(gif: bytes) -> bytes:
    """From a one-frame GIF, the image data after its descriptor: code size, blocks, end."""
    flags = gif[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while gif[pos] == 0x21:  # extensions before the image: skip their sub-blocks
        pos += 2
        while gif[pos]:
            pos += 1 + gif[pos]
        pos += 1
    if gif[pos] != 0x2C or gif[pos + 9] & 0x80:
        raise ValueError("unexpected GIF layout from Pillow")
    start = pos + 10
    pos = start + 1
    while gif[pos]:
        pos += 1 + gif[pos]
    return gif[start: pos + 1]


def _write_frame(out, block, delay_ms: int) -> None:
    (left, top, width, height), data, transparent = block
    # Graphic control: disposal 1 (leave the frame in place), the delay, transparency.
    flags = (1 << 2) | (1 if transparent else 0)
    out.write(b"\x21\xf9\x04" + bytes([flags]) + _u16(delay_ms // 10) + bytes([TRANSPARENT, 0]))
    out.write(b"\x2c" + _u16(left) + _u16(top) + _u16(width) + _u16(height) + b"\x00")
    out.write(data)


def _u16(value: int) -> bytes:
    return int(value).to_bytes(2, "little")


def choose_palette(colours: np.ndarray, counts: np.ndarray, size: int) -> np.ndarray:
    """Up to ``size`` RGB colours for packed ``colours`` seen ``counts`` times, in three parts:

    - the EXACT_COLOURS most common colours, kept exactly (background, text, grid, lines);
    - MEDIAN_CUT_COLOURS by median cut over the rest, for the anti-aliased gradients;
    - the remaining slots by farthest-first: the colour worst served so far, again and
      again. Median cut alone lets a small saturated mark (a star, a ball) fall into a
      box of surface shades; farthest-first bounds the worst error instead.
    """
    if len(colours) <= size:
        return unpack(colours).astype(np.int64)
    # Most common first; ties broken by colour value so the order is deterministic.
    order = np.lexsort((colours, -counts))
    exact = unpack(colours[order[:EXACT_COLOURS]])
    rest = colours[order[EXACT_COLOURS:]]
    rest_counts = counts[order[EXACT_COLOURS:]]
    # Weighted by how often a colour occurs, capped so a huge flat area cannot take all;
    # evenly thinned to MEDIAN_CUT_SAMPLE entries, which bounds the cut's time.
    sample = np.repeat(rest, np.minimum(rest_counts, 4))
    sample = unpack(sample[:: -(-len(sample) // MEDIAN_CUT_SAMPLE)])
    strip = Image.fromarray(sample.reshape(1, -1, 3).astype(np.uint8), "RGB")
    cut = strip.quantize(colors=MEDIAN_CUT_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = np.concatenate([exact, np.array(cut.getpalette()[: 3 * MEDIAN_CUT_COLOURS]).reshape(-1, 3)])
    candidates = unpack(rest).astype(np.float32)
    norms = (candidates * candidates).sum(axis=1)
    nearest = _nearest(candidates, palette)[1]
    added = []
    while len(palette) + len(added) < size:
        worst = int(np.argmax(nearest))  # first of equals: deterministic
        if nearest[worst] == 0:
            break
        colour = candidates[worst]
        added.append(colour)
        # Squared distances to the new colour as one matrix-vector product: exact in
        # float32 for 8-bit colours (every term an integer below 2^24).
        nearest = np.minimum(nearest, norms - 2 * (candidates @ colour) + colour @ colour)
    return np.concatenate([palette, np.array(added, dtype=np.int64).reshape(-1, 3)]).astype(np.int64)


def nearest_index(rgb: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """For each RGB colour, the index of its nearest palette colour (exact Euclidean)."""
    return _nearest(rgb, palette)[0].astype(np.uint8)


def _nearest(rgb: np.ndarray, palette: np.ndarray):
    """Index of, and squared distance to, the nearest palette colour, block by block.

    Uses |a|^2 - 2 a.b + |b|^2 as float32 matrix products (BLAS): for 8-bit colours every
    term and partial sum is an integer below 2^24, so the distances are exact, and ties
    go to the first index as with integers; no (len(rgb), len(palette), 3) intermediate.
    """
    a, b = rgb.astype(np.float32), palette.astype(np.float32)
    bb = (b * b).sum(axis=1)[None, :]
    step = max(1, DISTANCE_BLOCK // max(1, len(b)))
    index, distance = np.empty(len(a), np.int64), np.empty(len(a), np.int64)
    for start in range(0, len(a), step):
        block = a[start: start + step]
        d = (block * block).sum(axis=1)[:, None] - 2 * (block @ b.T) + bb
        index[start: start + step] = d.argmin(axis=1)  # first of equals: deterministic
        distance[start: start + step] = d.min(axis=1)
    return index, distance


def pack(rgb: np.ndarray) -> np.ndarray:
    """24-bit colours as one int32 each, for sorting and comparing whole pixels (built in
    place: one int32 array, not one per channel)."""
    packed = rgb[..., 0].astype(np.int32)
    packed <<= 8
    packed |= rgb[..., 1]
    packed <<= 8
    packed |= rgb[..., 2]
    return packed


def unpack(packed: np.ndarray) -> np.ndarray:
    packed = np.asarray(packed, dtype=np.int32)
    return np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=-1)
