"""Each scene's output as data: sizes, frame counts, delays and palettes of a full build,
how frames follow the line's motion, and every scene at crawling, exploding and
degenerate settings (each smoke-rendered once, by one build)."""
import io

import numpy as np
import pytest
from PIL import Image, ImageSequence

from render.outputs import THEMES
from render.pipeline import registry
from render.engine import data, descent, problems
from render.engine.history import from_csv, pick
from render.publish import manifest
from scenes import common, gd_loss
from tests.conftest import DATA, TEST_FORMATS, TEST_LAYOUTS, TEST_THEMES, TEST_VARIANT, run_cli
from tests.gif import read_gif
from tests.media import avif_subsampling


def gif_frames(path):
    with Image.open(path) as im:
        return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]


def test_every_picture_a_page_shows_is_true_colour(built):
    # The PNGs every pixel as drawn (no 256-colour palette: it made blocks of the bowl's
    # shading), the AVIFs 4:4:4 (no colour halved), neither with a version or a time in it.
    pictures = [o for r in registry.renders() for o in r.outputs if o.form.format in ("png", "avif")]
    assert len(pictures) >= 4 * (len(registry.FIGURES) + len(registry.ANIMATIONS))
    for output in pictures:
        raw = (built / output.file).read_bytes()
        with Image.open(io.BytesIO(raw)) as im:
            assert im.format == output.form.format.upper() and im.mode == "RGB" and getattr(im, "n_frames", 1) == 1
            assert not any(k in im.info for k in ("Software", "Creation Time", "date:create")), output.file
        if output.form.format == "avif":
            assert avif_subsampling(raw) == (0, 0), output.file  # 4:4:4
    for name in registry.FIGURES:
        with Image.open(built / f"{name}.png") as im:
            assert 600 <= im.width <= 1000 and 400 <= im.height <= 600  # legible at 1:1 on a page


#: The README's promise: every still's SVG under 300 KB.
MAX_SVG_BYTES = 300_000


@pytest.mark.parametrize("name", registry.FIGURES)
@pytest.mark.parametrize("theme", list(THEMES))
def test_each_still_has_a_crisp_version_and_a_light_vector_one(built, name, theme):
    files = {(o.layout, o.form.role, o.form.density, o.form.format): o.file
             for r in registry.renders((theme,), names=(name,), kinds=("still",)) for o in r.outputs}
    with Image.open(built / files["desktop", "still", 1, "png"]) as im, \
            Image.open(built / files["desktop", "still", 2, "png"]) as crisp:
        # drawn once at twice the pixels, the PNG exactly its halving (the mean of each four)
        assert crisp.size == (2 * im.size[0], 2 * im.size[1])
        assert np.array_equal(np.asarray(im), np.asarray(crisp.reduce(2)))
    # a phone's screen has 2 device pixels per CSS pixel or more: its layout is drawn at 2x alone
    with Image.open(built / files["phone", "still", 2, "png"]) as phone:
        assert phone.width == 2 * 360 and phone.height > phone.width  # a tall picture for a narrow column
    assert ("phone", "still", 1, "png") not in files and ("phone", "vector", 1, "svg") not in files
    if ("desktop", "vector", 1, "svg") in files:
        svg = (built / files["desktop", "vector", 1, "svg"]).read_text()
        assert len(svg.encode()) <= MAX_SVG_BYTES
        assert svg.rstrip().endswith("</svg>") and f'width="{im.size[0] * 0.72:g}pt"' in svg  # 640 px = 460.8 pt
        assert "<dc:date>" not in svg and "<text" not in svg  # no date; text as paths
    else:
        assert name == "gd_bowl"  # its SVG would be 800 KB of polygons


@pytest.mark.parametrize("name", registry.ANIMATIONS)
@pytest.mark.parametrize("theme", list(THEMES))
def test_animations_have_constant_frames_one_palette_and_valid_delays(built, name, theme):
    gif = registry.own_files((theme,), names=(name,), kinds=("animation",))[0]
    raw = (built / gif).read_bytes()
    info = read_gif(raw)
    pixels = gif_frames(built / gif)
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


#: Every setting that stresses the scenes, rendered once each: a crawl, the tutorial's
#: explosion, an overflow within a few steps, and one-step histories: for the single-run
#: scenes a first step that overflows, for the learning rates' comparison every rate's
#: one finite step (a first step that overflows leaves a run of one finite point, and
#: one that does not, two: the two smallest histories, in one build).
HOSTILE = [["--lr", "0.001"], ["--lr", "1.5"], ["--lr", "10", "--rates", "3 1e308"],
           ["--lr", "1e308", "--steps", "1"]]


@pytest.mark.parametrize("setting", HOSTILE, ids=[" ".join(s) for s in HOSTILE])
def test_every_scene_renders_hostile_settings_without_a_warning(tmp_path, setting):
    # Every scene whose recorded runs the setting changes (the scaling figure's depend on
    # the steps alone: at another rate it is the shared build's picture).
    changed = {flag.lstrip("-") for flag in setting if flag.startswith("--")}
    names = [s.name for s in registry.SCENES if changed & set(problems.PROBLEMS[s.problem].settings)]
    assert "gd_line" in names and ("gd_scaling" in names) == ("steps" in changed)
    result = run_cli("build", *names, "--out-dir", tmp_path, *TEST_VARIANT, *setting)  # as the tests' makes
    assert result.returncode == 0 and result.stderr == "", result.stderr
    listed = {e["file"]: e for e in manifest.load(str(tmp_path))["assets"]}
    assert set(listed) == set(registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS, names=names))
    for file, entry in listed.items():
        assert (tmp_path / file).stat().st_size == entry["bytes"] > 0
        assert entry["alt"] and entry["caption"]
        if file.endswith(".gif"):
            info = read_gif((tmp_path / file).read_bytes())
            assert info.frames == entry["frames"] >= 1 and sum(info.delays_ms) == entry["duration_ms"]


def test_a_phone_notes_line_opens_with_a_capital_but_a_formula_keeps_its_symbol():
    from scenes.common import opening

    assert opening("after 200 steps: 1.1% of the way") == "After 200 steps: 1.1% of the way"
    assert opening("condition number 18,920") == "Condition number 18,920"
    assert opening("lr = 1 / largest eigenvalue = 0.5") == "lr = 1 / largest eigenvalue = 0.5"
    assert opening("(steps 28-200 not shown)") == "(steps 28-200 not shown)"
