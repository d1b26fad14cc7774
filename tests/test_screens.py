"""Every picture readable on the reader's screen: each file's smallest text, as the manifest
records it from the artists as drawn (and as its SVG's glyphs say), meets the text floor
wherever the pages show it; and in Chromium, at every width from a small phone to a wide
desktop, light and dark, each picture on both pages is the layout drawn for its column,
its text at the floor or above as actually shown, true colour, and only that layout's
files are fetched, within the pages' budgets."""
import json
import re

import pytest

from render.outputs import CREDIT_FLOOR_PX, LAYOUTS, PAGE_MARGIN_PX, TEXT_FLOOR_PX
from render.pipeline import registry
from tests.test_publish import browser, entries, plain_server  # noqa: F401  (the module's Chromium)

#: The screens the pages are looked at on, in CSS px: phones, tablets, laptops, desktops.
WIDTHS = (320, 360, 390, 600, 768, 1024, 1280, 1440)
PAGES = ("index.html", "tutorial.html")
#: What the tutorial may fetch, scrolled to its end, at 2 device pixels per CSS pixel.
BUDGETS = {390: 2_500_000, 1280: 4_000_000}


def as_shown(entry: dict, css_width: float) -> dict:
    """A file's text sizes in CSS px when it is shown ``css_width`` CSS px wide."""
    scale = css_width / entry["width"]
    return {key: px * scale for key, px in entry["text_px"].items()}


def meets_floor(sizes: dict) -> bool:
    return (sizes["ticks"] >= TEXT_FLOOR_PX and sizes["labels"] >= TEXT_FLOOR_PX
            and sizes["smallest"] >= CREDIT_FLOOR_PX)


def test_every_picture_meets_the_text_floor_wherever_the_pages_show_it(built):
    pictures = [e for e in entries(built).values() if e["role"] in ("still", "poster", "animation", "video")]
    assert len(pictures) == len([o for r in registry.renders() for o in r.outputs if o.form.format != "svg"])
    for entry in pictures:
        low, high = entry["shown_at"]
        css = entry["width"] / entry["density"]
        # shown at its own width where the column allows, else shrunk to the column
        narrowest = min(css, low)
        assert meets_floor(as_shown(entry, narrowest)), (entry["file"], narrowest, entry["text_px"])
        assert low <= high
        # the layouts take turns at the desktop file's width, from a 320 px screen up
        if entry["layout"] == "phone":
            assert low == 320 - 2 * PAGE_MARGIN_PX and css == LAYOUTS["phone"].column
        else:
            assert low == css and high == 1440


def test_the_recorded_text_sizes_are_the_svgs_glyphs(built):
    # Matplotlib writes each text of an SVG as glyph outlines scaled by its size: a
    # transform of scale(s, -s) is s * 100 points (render/draw/style.mplstyle: text as paths).
    listed = entries(built)
    vectors = [e for e in listed.values() if e["format"] == "svg"]
    assert len(vectors) == 2 * (len(registry.FIGURES) - 1)  # the bowl has none
    for entry in vectors:
        svg = (built / entry["file"]).read_text()
        scales = [float(s) for s in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]
        smallest_pt = min(scales) * 100
        png = listed[entry["file"].replace(".svg", ".png")]
        assert smallest_pt * 100 / 72 == pytest.approx(png["text_px"]["smallest"], abs=0.01), entry["file"]
        assert entry["text_px"] == png["text_px"]


def shown(tab) -> list[dict]:
    """Each picture the reader sees (a player's video, or its poster before the video
    comes), the file it is drawn from and the CSS px it takes."""
    return tab.evaluate("""() => [...document.querySelectorAll('figure img, figure video')]
        .filter(e => e.offsetParent !== null && !e.closest('[hidden]'))
        .map(e => ({tag: e.tagName, file: decodeURI(e.currentSrc.split('/').pop().split('?')[0]),
                    width: e.getBoundingClientRect().width,
                    blob: e.tagName === 'VIDEO' && e.currentSrc.startsWith('blob:'),
                    layouts: e.closest('figure.gd-player') && e.closest('figure.gd-player').getAttribute('data-layouts'),
                    figure: e.closest('figure').getBoundingClientRect().width}))""")


def expected_layout(listed: dict, entry: dict, column: float) -> str:
    """The layout the pages promise for a figure in a column this wide."""
    desktop = next(e for e in listed.values() if e["scene"] == entry["scene"] and e["kind"] == entry["kind"]
                   and e["layout"] == "desktop" and e["density"] == 1)
    return "desktop" if column >= desktop["width"] else "phone"


def line_lengths(tab) -> list[int]:
    """How many characters each line of the page's paragraphs holds, as laid out."""
    return tab.evaluate("""() => [...document.querySelectorAll('main p')].flatMap(p => {
        const lines = {}, range = document.createRange(), walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) for (let i = 0; i < walk.currentNode.length; i++) {
            range.setStart(walk.currentNode, i); range.setEnd(walk.currentNode, i + 1);
            const box = range.getClientRects()[0];
            if (box) lines[Math.round(box.top)] = (lines[Math.round(box.top)] || 0) + 1;
        }
        return Object.values(lines); })""")


def player_video(picture: dict, scheme: str) -> str:
    """The file a player's video shows: over HTTP it plays a fetched copy (a blob URL), of
    the layout whose "min" the player's width reaches (data-layouts, the widest first)."""
    layouts = json.loads(picture["layouts"])
    fitting = next((layout for layout in layouts if picture["figure"] >= layout["min"]), layouts[-1])
    return fitting["video"][scheme].split("?")[0]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_picture_on_the_pages_meets_the_floor_at_every_width(browser, built, plain_server, page, scheme):  # noqa: F811
    listed = entries(built)
    # A tall screen: every picture and player near enough to load at once.
    ctx = browser.new_context(viewport={"width": WIDTHS[0], "height": 2400}, device_scale_factor=2,
                              color_scheme=scheme)
    tab = ctx.new_page()
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{plain_server}/{page}")
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 2400})
        for figure in tab.locator("figure").all():
            figure.scroll_into_view_if_needed()
        # every picture shown has loaded (a player's poster hidden behind its video need not)
        tab.wait_for_function("""() => [...document.querySelectorAll('figure img')]
            .every(i => i.complete || i.offsetParent === null)""")
        # the player swaps its video when its width crosses a breakpoint: until it has
        tab.wait_for_function("""() => [...document.querySelectorAll('figure.gd-player')].every(f => {
            const v = f.querySelector('video'), layouts = JSON.parse(f.dataset.layouts);
            const fit = layouts.find(l => f.clientWidth >= l.min) || layouts[layouts.length - 1];
            return f.hasAttribute('data-ready') && v.getAttribute('width') == fit.width && v.readyState >= 2
                && !v.seeking; })""")
        pictures = shown(tab)
        assert len(pictures) == len(registry.FIGURES) + len(registry.ANIMATIONS) or page == "tutorial.html"
        for picture in pictures:
            file = player_video(picture, scheme) if picture["tag"] == "VIDEO" else picture["file"]
            entry = listed[file]
            assert entry["theme"] == scheme, (width, file)
            # the layout drawn for the figure's column: the desktop file where it fits whole
            assert entry["layout"] == expected_layout(listed, entry, picture["figure"]), (width, file)
            # true colour: an AVIF (a browser without it gets the true-colour PNG), or the video
            assert entry["format"] in ("avif", "mp4"), (width, file)
            sizes = as_shown(entry, picture["width"])
            assert meets_floor(sizes), (width, file, picture["width"], sizes)
        if page == "tutorial.html" and width >= 1024:  # the prose, as wide as reads well
            assert max(line_lengths(tab)) <= 75
    assert errors == []
    ctx.close()


@pytest.mark.parametrize("page, width", [("tutorial.html", 390), ("tutorial.html", 1280), ("index.html", 1280)])
def test_a_page_fetches_only_the_layout_it_shows_within_its_budget(browser, built, plain_server, page, width):  # noqa: F811
    listed = entries(built)
    ctx = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2)
    tab = ctx.new_page()
    fetched = []
    tab.on("request", lambda r: fetched.append(r.url.split("?")[0].split("/")[-1]))
    tab.goto(f"{plain_server}/{page}")
    tab.wait_for_load_state("load")
    for figure in tab.locator("figure").all():  # the reader scrolls to the end
        figure.scroll_into_view_if_needed()
    players = tab.locator("figure.gd-player").count()
    tab.wait_for_function("n => document.querySelectorAll('figure.gd-player[data-ready]').length == n", arg=players)
    files = {f for f in fetched if f in listed}
    assert files and not [f for f in files if f.endswith(".gif")]  # the players run: no GIF fetched
    column = width - 2 * PAGE_MARGIN_PX
    for file in files:
        entry = listed[file]
        assert entry["layout"] == expected_layout(listed, entry, min(column, 1040)), file
        assert entry["theme"] == "light" and entry["format"] in ("avif", "mp4"), file
    if page == "tutorial.html":
        total = sum((built / f).stat().st_size for f in set(fetched) if (built / f).is_file())
        assert total <= BUDGETS[width], (total, sorted(set(fetched)))
    ctx.close()


def test_a_player_keeps_its_step_when_its_width_crosses_a_breakpoint(browser, built):  # noqa: F811
    listed = entries(built)
    timeline = listed["gd_line.gif"]["timeline"]
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = ctx.new_page()
    tab.goto((built / "index.html").as_uri())
    player = tab.locator("#gd_line-gif figure.gd-player")
    player.scroll_into_view_if_needed()
    tab.wait_for_function("f => f.hasAttribute('data-ready')", arg=player.element_handle())
    video = player.locator("video")
    assert video.evaluate("v => v.currentSrc").endswith("/gd_line.mp4")
    for _ in range(3):
        player.get_by_role("button", name="Next step").click()  # paused, three frames on
    frame = int(player.locator("input").input_value())
    for width, file in ((390, "gd_line-phone.mp4"), (1100, "gd_line.mp4")):  # a phone turned, then back
        tab.set_viewport_size({"width": width, "height": 900})
        tab.wait_for_function("([v, file]) => v.currentSrc.endsWith('/' + file) && v.readyState >= 2 && !v.seeking",
                              arg=[video.element_handle(), file])
        # the same frame, paused, at the new layout's size; its time inside that frame
        assert int(player.locator("input").input_value()) == frame
        assert player.get_by_role("button", name="Play").count() == 1
        start = sum(moment["ms"] for moment in timeline[:frame]) / 1000
        assert start <= video.evaluate("v => v.currentTime") < start + timeline[frame]["ms"] / 1000
        entry = listed[file]
        assert video.evaluate("v => [v.width, v.height]") == [entry["width"] // 2, entry["height"] // 2]
    ctx.close()


def test_without_javascript_each_animation_is_the_gif_of_its_layout(browser, built):  # noqa: F811
    for width, suffix in ((390, "-phone.gif"), (1280, ".gif")):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
        tab = ctx.new_page()
        tab.goto((built / "index.html").as_uri())
        gifs = tab.eval_on_selector_all("figure.gd-player img", "els => els.map(e => e.currentSrc.split('/').pop())")
        assert sorted(gifs) == sorted(f"{name}{suffix}" for name in registry.ANIMATIONS)
        ctx.close()
