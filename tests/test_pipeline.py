"""The fast frame pipeline as data: blitted frames equal full redraws pixel for pixel, two
workers equal one, the GIF encoder keeps changes rather than frames, and errors in a
worker reach the parent as they would in one process."""
import io
import os

import numpy as np
import pytest

from render.pipeline import registry
from render.pipeline import parallel
from render.draw import frames, gif, writer
from render.draw.frames import Frame
from render.draw.palette import LIGHT
from render.outputs import Form
from render.engine import data, problems
from render.engine.lesson import Lesson
from render.errors import InputError
from render.settings import Settings
from tests.conftest import DATA, TEST_FORMATS, TEST_LAYOUTS, TEST_THEMES, TEST_VARIANT, credit, drawing, run_cli, snapshot
from tests.gif import read_gif
from tests.test_writer import gif_frames

RATES = (0.001, 0.1, 1.5)


GIF = Form("animation", 1, "gif")


def lesson(lr):
    standings = data.load(str(DATA))
    return Lesson(standings, tuple(problems.runs("line", standings, Settings(str(DATA), lr=lr, rates=RATES))), lr)


#: A full redraw is compared at every FULL_STRIDE-th frame and the last: each frame of it
#: is drawn whole, on its own, so leaving some out changes nothing in the others, and
#: stale pixels left by a blit persist over many frames. (Every blitted frame is drawn:
#: each builds on the one before.)
FULL_STRIDE = 3


def drawn(name, lr, full):
    """Every frame of a scene's animation, blitted, or fully redrawn at every FULL_STRIDE-th
    frame (None elsewhere), and how often its blitters pasted and redrew static artists.
    (Run in a forked worker: the environment variable and the counting blitter stay there.)"""
    os.environ["RENDER_FULL_DRAW"] = "1" if full else ""
    made = []

    class Counted(frames.Blit):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    frames.Blit = Counted
    run = lesson(lr)
    with drawing(run, scale=writer.DRAWN_AT) as pen:  # as the build draws animations
        pictures, shot = [], None
        for i, shot in enumerate(registry.module(registry.get(name)).animation(run, pen)):  # a shot is drawn in its turn
            pictures.append(shot.frame().rgb if not full or i % FULL_STRIDE == 0 else None)
        if pictures[-1] is None:  # the last pose stands once the scene has ended
            pictures[-1] = shot.frame().rgb
    return pictures, sum(b.pasted for b in made), sum(b.drawn for b in made)


@pytest.mark.parametrize("name", ["gd_line", "gd_learning_rates", "gd_bowl"])
def test_blitted_frames_equal_full_redraws_pixel_for_pixel(name):
    # 10: the loss overflows within a few steps. Each (rate, blitted or full) is drawn in
    # one of two forked processes, the slow full redraws spread over both.
    # The bowl's crawl is left out: 38 frames whose full redraws (the lit surface, the
    # lines on it) are slow, to test what its other runs test (the ball and its trail
    # redrawn over the still bowl, and the marks above them).
    rates = tuple(lr for lr in RATES + (10,) if not (name == "gd_bowl" and lr == min(RATES)))
    if name == "gd_learning_rates":  # it draws every recorded rate, whichever is lr: at 10,
        rates = (10,)  # the default's three panels (0.001, 0.1, 1.5) and an overflowing fourth
    if name == "gd_line":  # 10 leaves the panel as 1.5 does, and overflows too; the
        rates = (0.1, 10)  # crawl's frames are the healthy run's artists, moved less
    jobs = [(lr, full) for full in (True, False) for lr in rates]
    done = dict(parallel.as_done(jobs, lambda job: drawn(name, *job), 2))
    results = {jobs[i]: result for i, result in done.items()}
    pasted = redrawn = 0
    for lr in rates:
        fast, pastes, redraws = results[lr, False]
        slow, _, _ = results[lr, True]
        assert len(fast) == len(slow)
        compared = [(i, a, b) for i, (a, b) in enumerate(zip(fast, slow)) if b is not None]
        assert len(compared) >= len(fast) / FULL_STRIDE
        for i, a, b in compared:
            assert np.array_equal(a, b), f"{name} lr {lr} frame {i}: {(a != b).any(axis=2).sum()} pixels differ"
        pasted += pastes
        redrawn += redraws
    # Static artists were pasted over an untouched background; in gd_line the exploding
    # line also crosses the readout card and the legend, which are then drawn again. (The
    # bowl's marks above the ball are 3D collections, with no extent to paste: redrawn.)
    assert pasted > 0 or name == "gd_bowl"
    assert redrawn > 0 or name != "gd_line"


def test_two_workers_draw_the_same_frames_as_one():
    bowl = registry.module(registry.get("gd_bowl"))
    run = lesson(0.1)
    draw = lambda shot: shot.frame()
    with drawing(run) as pen:
        one = list(parallel.in_order(lambda: bowl.animation(run, pen), draw, 1))
        two = list(parallel.in_order(lambda: bowl.animation(run, pen), draw, 2))
    assert len(one) == len(two) > 2
    for a, b in zip(one, two):
        assert a.duration_ms == b.duration_ms and np.array_equal(a.rgb, b.rgb)


def test_a_one_worker_build_writes_the_same_bytes_as_the_default(built, tmp_path):
    # The line and the bowl, a still and two animations, drawn in one process here, in two
    # (or four) for `built`.
    result = run_cli("build", "gd_line", "gd_bowl", "--jobs", "1", "--out-dir", tmp_path, *TEST_VARIANT,
                     env={"RENDER_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    ours, default = snapshot(tmp_path), snapshot(built)
    made = registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS, names=("gd_line", "gd_bowl"))
    assert len(made) == 10 and {f: ours[f] for f in made} == {f: default[f] for f in made}
    assert ours["history.csv"] == default["history.csv"]


def test_build_workers_take_jobs_as_they_come_and_report_each_once():
    costs = [0.3, 0.0, 0.0, 0.1, 0.0]

    def work(seconds):
        import time
        time.sleep(seconds)
        return seconds

    done = list(parallel.as_done(costs, work, 2))
    assert sorted(i for i, _ in done) == list(range(len(costs)))
    assert all(costs[i] == value for i, value in done)
    assert done[-1][0] == 0  # the slow first job finished last: the other worker took the rest


def tiny_scene(fail_at=None):
    fig = frames.Pen(LIGHT, frames.Credit("", (), 0.0)).figure(80, 60)
    text = fig.text(0.5, 0.5, "")
    for i in range(7):
        if i == fail_at:
            raise InputError("tiny.csv", "no such column", 3, "W")
        text.set_text(str(i))
        yield frames.capture(fig, 40 + 20 * i)


def test_workers_hand_frames_on_in_order():
    one = list(parallel.in_order(tiny_scene, frames.Shot.frame, 1))
    two = list(parallel.in_order(tiny_scene, frames.Shot.frame, 2))
    assert [f.duration_ms for f in two] == [40 + 20 * i for i in range(7)]
    assert all(np.array_equal(a.rgb, b.rgb) for a, b in zip(one, two))


@pytest.mark.parametrize("fail_at", [0, 4])
def test_an_error_in_a_worker_reaches_the_parent_as_itself(fail_at):
    with pytest.raises(InputError) as raised:
        list(parallel.in_order(lambda: tiny_scene(fail_at), frames.Shot.frame, 2))
    assert str(raised.value) == "tiny.csv, row 3, column W: no such column"

    def job(i):
        if i == fail_at:
            raise InputError("tiny.csv", "no such column", 3, "W")
        return i

    with pytest.raises(InputError) as raised:
        list(parallel.as_done(list(range(7)), job, 2))
    assert str(raised.value) == "tiny.csv, row 3, column W: no such column"


def moving_square(n, size=(120, 160)):
    out = []
    for i in range(n):
        rgb = np.full(size + (3,), 255, np.uint8)
        rgb[::10] = (220, 220, 220)  # a grid that never moves
        rgb[40:48, 10 + 2 * i: 18 + 2 * i] = (31, 111, 180)
        out.append(Frame(rgb, 60))
    return out


def test_the_encoder_keeps_changes_not_frames():
    encoder = gif.GifEncoder()
    frames_in = moving_square(40)
    for f in frames_in:
        encoder.add(f)
    kept = sum(sum(a.nbytes for a in (f.changed, f.colours, f.indices) if a is not None) for f in encoder.stored)
    one_frame = frames_in[0].rgb.nbytes
    assert [f.changed is None for f in encoder.stored] == [True] + [False] * 39  # whole, then changes
    assert kept < 2 * one_frame  # 40 frames held in less than two frames' bytes
    data = encoder.finish()
    info = read_gif(data)
    assert info.frames == 40 and info.local_tables == 0


def test_each_frame_is_stored_as_the_rectangle_that_changed(tmp_path):
    path = tmp_path / "a.gif"
    from render.draw import writer

    writer.write(moving_square(5), {GIF: str(path)})
    rects = read_gif(path.read_bytes()).rects
    assert rects[0] == (0, 0, 160, 120)
    # Every later frame is a small rectangle around the square, not the whole picture.
    assert all(w <= 10 and h <= 8 for _, _, w, h in rects[1:]), rects
    decoded = gif_frames(path)
    assert all(np.array_equal(a, b.rgb) for a, b in zip(decoded, moving_square(5)))


def test_a_repeated_frame_lengthens_the_one_before(tmp_path):
    from render.draw import writer

    a, b = moving_square(2)
    path = tmp_path / "a.gif"
    made = writer.write([a, Frame(a.rgb.copy(), 100), b], {GIF: str(path)})
    info = read_gif(path.read_bytes())
    assert info.frames == 2 and info.delays_ms == [160, 60]
    assert made[str(path)] == {"width": 160, "height": 120, "frames": 2, "duration_ms": 220,
                               "timeline": [{"ms": 160, "label": ""}, {"ms": 60, "label": ""}]}


def test_the_palette_weighs_colours_as_shown_in_every_frame():
    shown = moving_square(6)
    shown.insert(3, Frame(np.full_like(shown[0].rgb, 7), 60))  # a frame that changes everywhere
    encoder = gif.GifEncoder()
    for f in shown:
        encoder.add(f)
    whole = [f.changed is None for f in encoder.stored]
    assert whole == [True, False, False, True, True, False, False]
    colours, counts = encoder._shown()
    want = np.unique(np.concatenate([gif.pack(f.rgb).ravel() for f in shown]), return_counts=True)
    assert np.array_equal(colours, want[0]) and np.array_equal(counts, want[1])


def test_a_credit_line_is_broken_over_lines_at_the_floors_size_and_fits_the_width():
    # The credit comes with the data: the bundled one takes two lines of a desktop figure
    # and three of a phone's at the size the text floor asks (render/outputs.py); one too
    # long even for that is made smaller rather than run over the plot. At 2x the glyphs
    # round otherwise than at 1x, and in an SVG they are outlines: within the width in all.
    from matplotlib.backends.backend_svg import RendererSVG

    from render.draw.frames import CREDIT_LINES, Pen
    from render.draw.palette import LIGHT
    from render.outputs import LAYOUTS

    bundled = DATA.with_suffix(".credit").read_text().strip()
    cases = [(bundled, "desktop", 2, LAYOUTS["desktop"].credit_pt), (bundled, "phone", 3, LAYOUTS["phone"].credit_pt),
             ("Data: short", "desktop", 1, LAYOUTS["desktop"].credit_pt)]
    for text, layout, lines, size in cases:
        for scale in (1, 2):
            pen = Pen(LIGHT, credit(text), scale, LAYOUTS[layout])
            with pen.style():
                fig = pen.figure(LAYOUTS[layout].column or 640, 480)
                pen.credit_line(fig)
                (drawn,) = fig.texts
                assert drawn.get_fontsize() == size and drawn.get_text().count("\n") == lines - 1, drawn.get_text()
                assert " ".join(drawn.get_text().split()) == text  # every word, in order
                extent = drawn.get_window_extent(fig.canvas.get_renderer())
                assert extent.x1 <= fig.bbox.width and pen.credit_band(fig.bbox.width / scale) * scale >= extent.y1
                fig.set_dpi(72)  # as savefig does for an SVG: one pixel a point
                svg = RendererSVG(fig.bbox.width, fig.bbox.height, io.StringIO())
                assert drawn.get_window_extent(svg).x1 <= fig.bbox.width
    long_pen = Pen(LIGHT, credit("Data: " + "a source with a long name, " * 10), 1, LAYOUTS["desktop"])
    size, broken = long_pen.credit_lines(640)
    assert len(broken) == CREDIT_LINES["desktop"] and size < LAYOUTS["desktop"].credit_pt


def test_the_credit_lines_outlines_measured_once_serve_every_size_and_break():
    # One TextPath a word, once a build, instead of one for every way of breaking the line
    # in every figure: an outline's width is proportional to the font size.
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    from render.draw.frames import Pen
    from render.draw.palette import LIGHT

    text = DATA.with_suffix(".credit").read_text().strip()
    measured = credit(text)
    words = text.split()
    with Pen(LIGHT, measured).style():
        for size in (4, 8, 10):
            for first, last in ((0, 1), (0, 5), (3, len(words))):
                line = " ".join(words[first:last])
                width = TextPath((0, 0), line, prop=FontProperties(size=size)).get_extents().width
                # the sum of the words and the spaces: within a hair of the line's outline
                assert measured.outline_pt(slice(first, last), size) == pytest.approx(width, rel=0.03)
