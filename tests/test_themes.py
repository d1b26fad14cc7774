"""The themes: every colour role reads against its background (WCAG contrast, computed
here from the colours), every colour a scene draws comes from a role, and the two
themes' assets are the same pictures in other colours, within the output budget."""
import re

import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import to_rgb
from PIL import Image

from render.outputs import THEMES
from render.pipeline import registry
from render.draw import palette
from render.settings import Settings
from tests.conftest import DATA, ROOT

THEMES = list(palette.THEMES.values())
#: The whole output folder, every theme, layout and companion file included.
OUTPUT_BUDGET_BYTES = 16_000_000


def luminance(colour) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    channels = np.array(to_rgb(colour)[:3])
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a, b) -> float:
    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_against_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)


def colours_of(theme, role) -> list[str]:
    value = getattr(theme, role)
    return list(value) if isinstance(value, tuple) else [value]


@pytest.mark.parametrize("theme", THEMES, ids=[t.name for t in THEMES])
def test_every_role_reads_against_its_background(theme):
    grounds = {"background": theme.background, "card": theme.card}
    for roles, least in ((theme.TEXT_ROLES, 4.5), (theme.MARK_ROLES, 3.0)):
        for role in roles:
            for colour in colours_of(theme, role):
                for ground, behind in grounds.items():
                    ratio = contrast(colour, behind)
                    assert ratio >= least, f"{theme.name}: {role} {colour} on {ground} {behind}: {ratio:.2f}:1"
    # the page's text on its code blocks
    for role in ("text", "muted"):
        assert contrast(getattr(theme, role), theme.panel) >= 4.5, (theme.name, role)
    # the contour lines: every colour of the theme's part of viridis is a line
    for colour in theme.contour_map(np.linspace(0, 1, 64)):
        assert contrast(colour, theme.background) >= 3.0, (theme.name, colour)
    # and that part is viridis, cut where the theme says
    assert np.allclose(theme.contour_map(0.0), colormaps["viridis"](theme.contours[0]), atol=1 / 255)
    # the dark theme is dark, the light light
    assert (luminance(theme.background) < 0.05) == (theme.name == "dark")


def test_the_themes_differ_in_every_role_they_recolour():
    light, dark = palette.LIGHT, palette.DARK
    for role in ("background", "card", "text", "muted", "axis", "closed_form", "start"):
        assert getattr(light, role) != getattr(dark, role), role
    assert set(light.rates).isdisjoint(dark.rates)


def test_scenes_and_the_style_name_no_colour_of_their_own():
    # Every colour comes from a role, so the dark theme recolours everything: no colour
    # names or hex codes in the scenes, none in the shared style file.
    literal = re.compile(r"""["'](#[0-9a-fA-F]{3,8}|white|black|gr[ae]y|viridis)["']|\bcm\.""")
    for path in sorted((ROOT / "scenes").glob("*.py")) + [ROOT / "render" / "draw" / "frames.py"]:
        found = [line for line in path.read_text().splitlines() if literal.search(line)]
        assert found == [], (path.name, found)
    style = (ROOT / "render" / "draw" / "style.mplstyle").read_text()
    assert not re.search(r"(color|colour|facecolor|prop_cycle)\s*:", style)


def test_two_scenes_drawn_in_one_process_in_either_theme_order_give_the_built_bytes(built, tmp_path):
    # The theme and the scale travel on the pen a scene is handed: whatever was drawn
    # before in this process, in whichever theme, a render's files are those of the build.
    from render.pipeline import plan
    from render.pipeline.registry import Render
    from render.pipeline.render_one import render
    from render.draw.frames import Credit

    run = plan.Plan(Settings(str(DATA), out=str(tmp_path)))
    lesson = run.lesson("line")
    credit = Credit.measure(lesson.data.credit)
    order = [("gd_fit", "still", "dark", "desktop"), ("gd_line", "animation", "light", "phone"),
             ("gd_fit", "still", "light", "phone"), ("gd_line", "animation", "dark", "desktop")]
    made = []
    for name, kind, theme, layout in order:  # the layout travels on the pen too
        r = Render(registry.get(name), kind, theme, layout)
        render(r, lesson, credit, str(tmp_path))
        made += r.files
    # a desktop still: PNG, 2x PNG, 2x AVIF, SVG; a phone still: 2x PNG and AVIF; a phone
    # animation: GIF, 2x poster (PNG, AVIF), MP4; a desktop animation a 1x poster more
    assert len(made) == len(set(made)) == 15
    for file in made:
        assert (tmp_path / file).read_bytes() == (built / file).read_bytes(), file


def test_a_dark_asset_is_its_light_twin_in_other_colours(built):
    from render.pipeline.registry import Render

    for r in registry.renders(("light",)):
        name, twin = r.files[0], Render(r.scene, r.kind, "dark", r.layout).files[0]
        with Image.open(built / name) as light, Image.open(built / twin) as dark:
            assert light.size == dark.size and getattr(light, "n_frames", 1) == getattr(dark, "n_frames", 1), name
            light_px = np.asarray(light.convert("RGB")).astype(int)
            dark_px = np.asarray(dark.convert("RGB")).astype(int)
        # dark where the light one is light: the background
        light_ground, dark_ground = (np.median(p.reshape(-1, 3), axis=0) for p in (light_px, dark_px))
        assert np.allclose(light_ground, [255, 255, 255], atol=2), name
        assert np.allclose(dark_ground, [int(palette.DARK.background[i:i + 2], 16) for i in (1, 3, 5)], atol=2), name


def test_the_output_folder_keeps_its_budget(built):
    total = sum(p.stat().st_size for p in built.iterdir() if p.is_file())
    assert total <= OUTPUT_BUDGET_BYTES, f"{total:,} bytes"
