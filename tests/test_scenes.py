"""Each scene's output as data: sizes, frame counts, delays, palettes, determinism, atomicity."""
import io
import os

import numpy as np
import pytest
from PIL import Image, ImageSequence

import scenes
from render import data, descent, problems, writer
from render.frames import Frame
from render.history import from_csv, pick
from scenes import common, gd_loss
from tests.conftest import DATA, run_cli, snapshot
from tests.gif import read_gif


def gif_frames(path):
    with Image.open(path) as im:
        return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]


def history_for(name):
    """The history file a scene reads, as the Makefile passes it."""
    return problems.FILES[scenes.problem(name)]


@pytest.mark.parametrize("name", scenes.FIGURES)
def test_figures_are_one_png_without_metadata(built, name):
    with Image.open(built / f"{name}.png") as im:
        assert im.format == "PNG" and im.mode == "RGB" and getattr(im, "n_frames", 1) == 1
        assert 600 <= im.width <= 1000 and 400 <= im.height <= 600  # legible at 1:1 on a page
        assert not any(k in im.info for k in ("Software", "Creation Time", "date:create"))


@pytest.mark.parametrize("name", scenes.ANIMATIONS)
def test_animations_have_constant_frames_one_palette_and_valid_delays(built, name):
    raw = (built / f"{name}.gif").read_bytes()
    info = read_gif(raw)
    pixels = gif_frames(built / f"{name}.gif")
    assert len(pixels) == info.frames >= 5
    assert {p.shape for p in pixels} == {(info.height, info.width, 3)}
    assert info.loop == 0  # forever
    assert info.global_table == 256 and info.local_tables == 0  # one palette for the GIF
    assert all(d >= 20 and d % 10 == 0 for d in info.delays_ms)
    assert info.delays_ms[-1] == max(info.delays_ms)  # the end is held longest
    assert all(not np.array_equal(a, b) for a, b in zip(pixels, pixels[1:]))  # no frame wasted on nothing


def test_line_gif_frames_follow_the_motion_and_hold_the_end(built):
    info = read_gif((built / "gd_line.gif").read_bytes())
    run = pick(from_csv((built / "history.csv").read_text()), 0.1)
    steps = common.frame_steps(panel_travel(run))
    assert (info.width, info.height) == (640, 480)
    assert info.frames == len(steps)
    assert steps[0] == 0 and steps[-1] == 200
    # frames go where the line moves: with lr 0.1 nearly all of them in the first 30 steps
    assert sum(s <= 30 for s in steps) >= len(steps) - 1


def panel_travel(run):
    season = data.load(str(DATA))
    x, y = descent.standardize(season.run_diff), descent.standardize(season.wins)
    return common.visual_travel(run.slope, run.b, common.limits(x), common.limits(y))


def runs(lr, steps=200):
    season = data.load(str(DATA))
    x, y = descent.standardize(season.run_diff), descent.standardize(season.wins)
    return descent.descend(x, y, lr=lr, steps=steps)


def test_frame_steps_space_frames_by_distance_travelled():
    path = panel_travel(runs(0.001))
    steps = common.frame_steps(path)
    moved = np.diff(path[steps[:-1]])
    length = path[-1] / common.MOVING_FRAMES
    assert np.all(moved >= length * (1 - 1e-9))  # every frame moves the line at least one length
    assert np.all(moved < 2 * length)  # and not much more: a steady crawl
    assert common.frame_steps(np.zeros(11)) == [0, 10]  # a run that never moves: start and end


def test_an_exploding_line_gets_frames_only_while_it_visibly_moves():
    run = runs(1.5)
    path = panel_travel(run)
    steps = common.frame_steps(path)
    # after a dozen steps the line is vertical through the origin, flipping sign each
    # step but drawn the same: no frames are spent there, the end is shown once
    assert steps[-1] == 200 and steps[-2] < 20
    assert path[-1] - path[20] < 0.01


def test_visible_segment_clips_to_the_panel():
    xlim, ylim = (-2.0, 2.0), (-1.0, 1.0)
    flat = common.visible_segment(0.0, 0.0, xlim, ylim)
    assert np.allclose(flat, [[0, 0.5], [1, 0.5]])
    steep = common.visible_segment(-5.32e55, -4.46e43, xlim, ylim)  # lr 1.5 after 200 steps
    assert np.allclose(steep[:, 0], 0.5) and np.allclose(sorted(steep[:, 1]), [0, 1])
    assert common.visible_segment(0.0, 5.0, xlim, ylim) is None  # above the panel
    assert common.visible_segment(np.inf, 0.0, xlim, ylim) is None


def test_flat_from_finds_where_the_curve_flattens():
    loss = np.array([1.0, 0.5, 0.2, 0.11, 0.105, 0.1049, 0.1049])
    assert gd_loss.flat_from(loss, 0.1049) == 3  # 0.11 - 0.1049 < 1% of 0.8951
    assert gd_loss.flat_from(np.linspace(1, 0.5, 10), 0.1) is None  # still falling


def test_two_renders_give_the_same_bytes(built, tmp_path):
    for output in scenes.outputs():
        name = output.rsplit(".", 1)[0]
        again = tmp_path / output
        result = run_cli("scene", name, "--history", built / history_for(name), "--out", again)
        assert result.returncode == 0, result.stderr
        assert again.read_bytes() == (built / output).read_bytes(), output


@pytest.mark.parametrize("lr", [0.001, 1.5, 10])
def test_every_scene_renders_a_crawling_or_diverging_rate(tmp_path, lr):
    for problem, file in problems.FILES.items():
        result = run_cli("history", "--problem", problem, "--lr", lr, "--out", tmp_path / file)
        assert result.returncode == 0, result.stderr
    for output in scenes.outputs():
        name = output.rsplit(".", 1)[0]
        out = tmp_path / output
        result = run_cli("scene", name, "--history", tmp_path / history_for(name), "--lr", lr, "--out", out)
        assert result.returncode == 0 and result.stderr == "", (output, result.stderr)
        assert out.stat().st_size > 0


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
        writer.write(str(target), broken_scene())
    assert snapshot(tmp_path) == {"gd_line.gif": b"the previous, complete asset"}


def test_a_failed_move_into_place_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "a.png"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        writer.write(str(target), [frame(0)])
    assert snapshot(tmp_path) == {"a.png": b"old"}


def test_writer_refuses_bad_frames(tmp_path):
    with pytest.raises(ValueError, match="multiple of 10"):
        writer.write(str(tmp_path / "a.gif"), [frame(0, 25)])
    with pytest.raises(ValueError, match="differ in size"):
        writer.write(str(tmp_path / "a.gif"), [frame(0), Frame(np.zeros((5, 6, 3), np.uint8), 100)])
    with pytest.raises(ValueError, match="one frame"):
        writer.write(str(tmp_path / "a.png"), [frame(0), frame(1)])
    assert list(tmp_path.iterdir()) == []


def test_gif_palette_keeps_common_colours_exact(tmp_path):
    # many shades, so the palette must choose; white and the pure line colour stay exact
    rng = np.random.default_rng(0)
    rgb = np.full((60, 80, 3), 255, np.uint8)
    rgb[:20] = rng.integers(0, 256, (20, 80, 3))
    rgb[40:] = (31, 111, 180)
    writer.write(str(tmp_path / "a.gif"), [Frame(rgb, 100), Frame(rgb[::-1].copy(), 100)])
    back = gif_frames(tmp_path / "a.gif")
    assert np.array_equal(back[0][20:40], rgb[20:40]) and np.array_equal(back[0][40:], rgb[40:])


def test_gif_palette_keeps_a_small_saturated_mark(tmp_path):
    # a smooth two-colour gradient fills almost everything (thousands of shades); a small
    # orange star must not be merged into it
    yy, xx = np.mgrid[0:120, 0:160]
    rgb = np.stack([40 + xx, 60 + yy, 120 + (xx + yy) // 3], axis=-1).astype(np.uint8)
    rgb[50:56, 70:76] = (224, 123, 0)
    writer.write(str(tmp_path / "a.gif"), [Frame(rgb, 100), Frame(rgb[:, ::-1].copy(), 100)])
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
    writer.write(str(tmp_path / "a.gif"), frames)
    decoded = gif_frames(tmp_path / "a.gif")
    assert len(decoded) == len(frames)
    for got, want in zip(decoded, frames):
        assert np.array_equal(got, want.rgb)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_on_a_terminal_only(monkeypatch):
    from render.progress import Progress

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
