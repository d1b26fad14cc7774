"""The writer, the encoders and the progress line, on frames made up for the tests: atomic
writes (alone and in sets), refused frames, exact palettes and decoding, videos of any
length with each frame's own duration."""
import io
import os

import numpy as np
import pytest
from PIL import Image, ImageSequence

from render.atomic import write_together
from render.draw import encoders, writer
from render.draw.frames import Frame
from render.errors import InputError
from render.outputs import Form
from tests.conftest import snapshot
from tests.media import mp4_samples

GIF, POSTER, VIDEO, STILL = (Form("animation", 1, "gif"), Form("poster", 1, "png"), Form("video", 1, "mp4"),
                             Form("still", 1, "png"))


def write(path, frames):
    """Frames into one file, by its suffix: a GIF (every frame) or a PNG (the last)."""
    return writer.write(frames, {GIF if str(path).endswith(".gif") else STILL: str(path)})


def gif_frames(path):
    with Image.open(path) as im:
        return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]


def frame(value, delay=100):
    return Frame(np.full((4, 6, 3), value, dtype=np.uint8), delay)


def test_a_render_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "gd_line.gif"
    target.write_bytes(b"the previous, complete asset")

    def broken_scene():
        yield frame(10)
        yield frame(20)
        raise RuntimeError("scene crashed on frame 3")

    with pytest.raises(RuntimeError):
        write(target, broken_scene())
    assert snapshot(tmp_path) == {"gd_line.gif": b"the previous, complete asset"}


def test_a_failed_move_into_place_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "a.png"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write(target, [frame(0)])
    assert snapshot(tmp_path) == {"a.png": b"old"}


def test_an_animations_files_are_replaced_together(tmp_path, monkeypatch):
    paths = {name: tmp_path / name for name in ("a.gif", "a_poster.png", "a.mp4")}
    for path in paths.values():
        path.write_bytes(b"previous " + path.name.encode())
    before = snapshot(tmp_path)
    real_fdopen = os.fdopen

    def full_disk(fd, mode="r", *args, **kwargs):  # the third temporary file finds the disk full
        f = real_fdopen(fd, mode, *args, **kwargs)
        if "a.mp4" in os.readlink(f"/proc/self/fd/{fd}"):
            f.close()
            raise OSError(28, "No space left on device")
        return f

    monkeypatch.setattr(os, "fdopen", full_disk)
    frames = [frame(0), frame(50)]
    with pytest.raises(InputError) as raised:
        writer.write(frames, {GIF: str(paths["a.gif"]), POSTER: str(paths["a_poster.png"]),
                              VIDEO: str(paths["a.mp4"])})
    assert str(raised.value) == f"{paths['a.mp4']}: No space left on device (the previous files are unchanged)"
    assert snapshot(tmp_path) == before  # not one replaced, no temporary left


def test_a_set_that_cannot_be_written_leaves_nothing_where_there_was_nothing(tmp_path):
    with pytest.raises(InputError, match=r"nothing was written\)$"):
        write_together({str(tmp_path / "a.png"): b"x", str(tmp_path / "no" / "b.png"): b"y"})
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_bad_frames(tmp_path):
    with pytest.raises(ValueError, match="multiple of 20"):
        write(tmp_path / "a.gif", [frame(0, 25)])
    with pytest.raises(ValueError, match="differ in size"):
        write(tmp_path / "a.gif", [frame(0), Frame(np.zeros((5, 6, 3), np.uint8), 100)])
    with pytest.raises(ValueError, match="no encoder for format 'tiff'"):
        writer.write([frame(0)], {Form("still", 1, "tiff"): str(tmp_path / "a.tiff")})
    assert list(tmp_path.iterdir()) == []


def test_gif_palette_keeps_common_colours_exact(tmp_path):
    # many shades, so the palette must choose; white and the pure line colour stay exact
    rng = np.random.default_rng(0)
    rgb = np.full((60, 80, 3), 255, np.uint8)
    rgb[:20] = rng.integers(0, 256, (20, 80, 3))
    rgb[40:] = (31, 111, 180)
    write(tmp_path / "a.gif", [Frame(rgb, 100), Frame(rgb[::-1].copy(), 100)])
    back = gif_frames(tmp_path / "a.gif")
    assert np.array_equal(back[0][20:40], rgb[20:40]) and np.array_equal(back[0][40:], rgb[40:])


def test_gif_palette_keeps_a_small_saturated_mark(tmp_path):
    # a smooth two-colour gradient fills almost everything (thousands of shades); a small
    # orange star must not be merged into it
    yy, xx = np.mgrid[0:120, 0:160]
    rgb = np.stack([40 + xx, 60 + yy, 120 + (xx + yy) // 3], axis=-1).astype(np.uint8)
    rgb[50:56, 70:76] = (224, 123, 0)
    write(tmp_path / "a.gif", [Frame(rgb, 100), Frame(rgb[:, ::-1].copy(), 100)])
    back = gif_frames(tmp_path / "a.gif")[0].astype(int)
    assert np.abs(back[50:56, 70:76] - (224, 123, 0)).max() <= 8
    assert np.sqrt(((back - rgb.astype(int)) ** 2).sum(-1)).max() < 30


@pytest.mark.parametrize("moving", ["a small mark", "everything"])
def test_gif_frames_decode_to_exactly_what_was_drawn(tmp_path, moving):
    # few colours, so the palette is exact and every decoded pixel must match
    rng = np.random.default_rng(1)
    base = np.full((40, 60, 3), 255, np.uint8)
    base[::7] = (200, 200, 200)
    frames = []
    for i in range(6):
        rgb = base.copy()
        if moving == "everything":
            rgb[:] = rng.choice([(255, 255, 255), (31, 111, 180), (0, 0, 0)], size=(40, 60))
        rgb[10:14, 5 + 8 * i: 9 + 8 * i] = (192, 57, 43)
        frames.append(Frame(rgb, 100))
    write(tmp_path / "a.gif", frames)
    decoded = gif_frames(tmp_path / "a.gif")
    assert len(decoded) == len(frames)
    for got, want in zip(decoded, frames):
        assert np.array_equal(got, want.rgb)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_on_a_terminal_only(monkeypatch):
    from render.pipeline.progress import Progress

    monkeypatch.delenv("CI", raising=False)
    shown = Terminal()
    bar = Progress("gd_bowl.gif", stream=shown, after_s=0)
    bar.update(3)
    bar.close()
    assert "gd_bowl.gif: 3 frames drawn" in shown.getvalue() and shown.getvalue().endswith("s\x1b[K\n")
    piped = io.StringIO()
    bar = Progress("gd_bowl.gif", stream=piped, after_s=0)
    bar.update(3)
    bar.close()
    assert piped.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    quiet = Terminal()
    bar = Progress("gd_bowl.gif", stream=quiet, after_s=0)
    bar.update(3)
    bar.close()
    assert quiet.getvalue() == ""


def test_a_frame_drawn_at_2x_is_halved_by_the_mean_of_each_four_pixels():
    rng = np.random.default_rng(5)
    sharp = Frame(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8), 40, "step 3")
    small = writer.half(sharp)
    means = sharp.rgb.astype(float).reshape(3, 2, 4, 2, 3).mean(axis=(1, 3))
    assert small.rgb.shape == (3, 4, 3) and small.rgb.dtype == np.uint8
    assert np.array_equal(small.rgb, np.floor(means + 0.5).astype(np.uint8))  # rounded half up
    assert (small.duration_ms, small.label) == (40, "step 3")


def test_video_timestamps_start_each_frame_after_the_last_and_end_on_the_final_tick():
    # holds of 1000, 400, 20 and 2500 ms, in 20 ms ticks
    assert encoders.timestamps([50, 20, 1, 125]) == [0, 50, 70, 71, 71 + 124]
    assert encoders.timestamps([3, 1]) == [0, 3]  # a one-tick end needs no repeat
    expression = encoders.expression([0, 50, 70])
    assert expression == f"(if(lt(N,1),0,if(lt(N,2),50,70)))/({encoders.VIDEO_FPS}*TB)"


def test_a_video_of_any_length_keeps_every_frames_duration(tmp_path):
    # 300 frames, each held for its own whole number of ticks: ffmpeg's expression parser
    # refused the old sum of one term a frame past about 100 frames
    rng = np.random.default_rng(3)
    delays = [int(t) * 20 for t in rng.integers(1, 12, 300)]
    frames = [Frame(np.full((8, 10, 3), i % 256, np.uint8), ms) for i, ms in enumerate(delays)]
    made = writer.write(frames, {VIDEO: str(tmp_path / "a.mp4")})
    assert made[str(tmp_path / "a.mp4")]["duration_ms"] == sum(delays)
    samples = mp4_samples((tmp_path / "a.mp4").read_bytes())
    # every frame once, then the last again on its final tick (where the video ends)
    shown = samples[:300]
    assert len(samples) == 300 + (delays[-1] > 20)
    assert shown[:-1] == delays[:-1] and sum(samples) == sum(delays)


def test_a_shading_the_palette_cannot_hold_is_dithered_not_banded(tmp_path):
    # A smooth two-channel ramp of 40,000 colours: 255 entries draw it in bands of one
    # colour each; dithered, every 4x4 block averages to within a level or so of the
    # original, and flat colours (a white margin, a pure line) stay exact.
    yy, xx = np.mgrid[0:200, 0:200]
    rgb = np.stack([40 + xx * 0.8, 30 + yy * 0.9, 120 + (xx + yy) // 8], axis=-1).astype(np.uint8)
    rgb[:, :8] = 255
    rgb[100:102] = (31, 111, 180)
    write(tmp_path / "a.gif", [Frame(rgb, 100), Frame(rgb.copy(), 100)])
    back = gif_frames(tmp_path / "a.gif")[0].astype(float)
    assert np.array_equal(back[:, :8], rgb[:, :8]) and np.array_equal(back[100:102], rgb[100:102])

    # Each 4x4 block averages closer to the ramp than the nearest entries alone would (1.6
    # levels here): the eye sees the average, not the dots.
    blocks = [image[104:200, 8:200].astype(float).reshape(24, 4, 48, 4, 3).mean(axis=(1, 3)) for image in (back, rgb)]
    assert np.abs(blocks[0] - blocks[1]).mean() < 1.2
