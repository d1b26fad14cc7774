"""Publishing: the manifest, the stale-asset check, posters and videos, and the embed page,
which a real browser (Debian's chromium, driven by Playwright) opens from disk."""
import io
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render.outputs import THEMES
from render.pipeline import registry
from render.pipeline import plan
from render.draw import palette
from render.engine import data
from render.publish import manifest
from render.publish.page import page
from tests.conftest import DATA, ROOT, TEST_FORMATS, TEST_LAYOUTS, TEST_THEMES, run_cli, run_make
from tests.gif import read_gif
from tests.media import probe

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def load_manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def entries(folder: Path) -> dict:
    return {e["file"]: e for e in load_manifest(folder)["assets"]}


def test_manifest_lists_every_asset_with_true_sizes_and_hashes(built):
    listed = entries(built)
    stems = {(n, t, l): n + ("" if l == "desktop" else "-phone") + ("" if t == "light" else f"-{t}")
             for n in registry.NAMES for t in ("light", "dark") for l in ("desktop", "phone")}
    desktop = {f"{stems[n, t, 'desktop']}{end}" for n in registry.ANIMATIONS for t in ("light", "dark")
               for end in (".gif", "_poster.png", "_poster@2x.png", "_poster@2x.avif", ".mp4")} | {
        f"{stems[n, t, 'desktop']}{end}" for n in registry.FIGURES for t in ("light", "dark")
        for end in (".png", "@2x.png", "@2x.avif") + (() if n == "gd_bowl" else (".svg",))}
    phone = {f"{stems[n, t, 'phone']}{end}" for n in registry.ANIMATIONS for t in ("light", "dark")
             for end in (".gif", "_poster@2x.png", "_poster@2x.avif", ".mp4")} | {
        f"{stems[n, t, 'phone']}{end}" for n in registry.FIGURES for t in ("light", "dark")
        for end in ("@2x.png", "@2x.avif")}
    assert desktop | phone == set(registry.files())
    assert list(listed) == registry.files()  # in the registry's order, stills first
    credit = data.load(str(DATA)).credit
    for name, e in listed.items():
        path = built / name
        assert e["bytes"] == path.stat().st_size
        assert e["sha256"] == manifest.sha256(str(path))
        assert e["alt"] and e["caption"] and e["credit"]
        assert set(e["inputs"]) == {"data", "history", "code", "params"}
        assert e["inputs"]["data"] == plan.data_hash(str(DATA), credit)
        output = next(o for r in registry.renders() for o in r.outputs if o.file == name)
        assert (e["scene"], e["kind"], e["theme"], e["layout"]) == (output.scene, output.kind, output.theme, output.layout)
        assert (e["role"], e["density"], e["format"]) == (output.form.role, output.form.density, output.form.format)
        if name.endswith(".png"):
            with Image.open(path) as im:
                assert (e["width"], e["height"]) == im.size
        if name.endswith(".gif"):
            info = read_gif(path.read_bytes())
            assert (e["frames"], e["duration_ms"]) == (info.frames, sum(info.delays_ms))
            video = listed[name.replace(".gif", ".mp4")]
            assert video["duration_ms"] == e["duration_ms"]  # the video lasts as long as the GIF
            assert (video["width"], video["height"]) == (2 * e["width"], 2 * e["height"])  # for 2x screens
            sharp = listed[name.replace(".gif", "_poster@2x.png")]
            assert (sharp["width"], sharp["height"]) == (video["width"], video["height"])
            # the same frames, words and timing in either theme and either layout: a player
            # that swaps layouts keeps its step
            assert e["timeline"] == listed[f"{e['scene']}.gif"]["timeline"]
            # and says so itself, read back from the file
            assert probe(str(built / video["file"]))["duration_ms"] == e["duration_ms"]
    # deterministic: sorted keys, one asset a line, a final newline
    text = (built / "manifest.json").read_text()
    assert text == manifest.dumps(json.loads(text)).decode() and text.endswith("]\n}\n")
    assert text.count("\n") == len(listed) + len(json.loads(text)) + 3  # every asset on a line of its own


def test_posters_are_the_last_frame(built):
    for stem in [n for n in registry.ANIMATIONS] + [f"{n}-dark" for n in registry.ANIMATIONS]:
        with Image.open(built / f"{stem}.gif") as gif:
            gif.seek(gif.n_frames - 1)
            last = np.asarray(gif.convert("RGB")).astype(int)
        poster = np.asarray(Image.open(built / f"{stem}_poster.png").convert("RGB")).astype(int)
        # the poster and the GIF are each the frame in 256 colours of their own choosing
        assert poster.shape == last.shape and np.abs(poster - last).mean() < 2
        # the sharp poster is the same picture at twice the pixels (each in its own 256
        # colours: within a few levels, one or two on average)
        sharp = np.asarray(Image.open(built / f"{stem}_poster@2x.png").convert("RGB")).astype(int)
        height, width = poster.shape[:2]
        assert sharp.shape == (2 * height, 2 * width, 3)
        halved = sharp.reshape(height, 2, width, 2, 3).mean(axis=(1, 3))
        assert np.abs(halved - poster).mean() < 1.5 and np.abs(halved - poster).max() <= 24


def test_videos_are_h264_yuv420p_without_versions(built):
    for name in registry.own_files():
        if not name.endswith(".gif"):
            continue
        raw = (built / name.replace(".gif", ".mp4")).read_bytes()
        assert b"avc1" in raw and b"ftyp" in raw[:16]
        assert b"x264 - core" not in raw  # the SEI with x264's version and options is removed
        assert not re.search(rb"Lavf\d", raw)  # no muxer version
    import imageio_ffmpeg
    out = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(built / "gd_line.mp4")],
                         capture_output=True, text=True).stderr
    assert "h264" in out and "yuv420p" in out


def test_captions_follow_the_data(built, other_built):
    _, out = other_built
    ours, theirs = entries(built), entries(out)
    assert load_manifest(out)["credit"] == "Data: other.csv"
    assert len(theirs) == len(registry.files(TEST_THEMES, TEST_LAYOUTS, formats=TEST_FORMATS))
    for name in theirs:
        numbers = lambda text: re.findall(r"\d+\.\d+", text)
        assert numbers(ours[name]["alt"]) != numbers(theirs[name]["alt"]), name
        assert numbers(ours[name]["caption"]) != numbers(theirs[name]["caption"]), name
        if "timeline" in ours[name]:  # the player's words for each frame
            assert [numbers(f["label"]) for f in ours[name]["timeline"]] != \
                [numbers(f["label"]) for f in theirs[name]["timeline"]], name


def copy_of(built: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    return out


def check(out: Path, *args, cwd=None):
    """`make check` of every theme, as `built` holds them all."""
    return run_make("-s", "check", f"OUT={out}", "THEMES=", "LAYOUTS=", "FORMATS=", *args, **({"cwd": cwd} if cwd else {}))


def test_check_passes_after_a_build_and_names_a_hand_edited_asset(built, tmp_path):
    out = copy_of(built, tmp_path)
    result = check(out)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out / "gd_fit.png", "ab") as f:
        f.write(b"\0")
    result = check(out)
    assert result.returncode != 0
    assert result.stdout.splitlines() == ["stale: gd_fit.png: the file changed since it was rendered"]
    # every file the page needs is checked: the dark and 2x ones, and the player's script
    (out / "gd_line-dark_poster@2x.png").unlink()
    with open(out / "player.js", "a") as f:
        f.write("// edited\n")
    assert check(out).stdout.splitlines() == [
        "stale: gd_fit.png: the file changed since it was rendered", "stale: gd_line-dark_poster@2x.png: missing",
        "stale: player.js: differs from render/publish/static/player.js"]


def test_check_names_exactly_the_assets_a_change_touches(built, project, tmp_path):
    # edit a scene in a scratch copy of the project, never in the working tree
    out = copy_of(built, tmp_path)
    assert check(out, cwd=project).returncode == 0
    with open(project / "scenes" / "gd_bowl.py", "ab") as f:
        f.write(b"\n")
    result = check(out, cwd=project)
    stale = sorted(line.split(":")[1].strip() for line in result.stdout.splitlines())
    assert result.returncode != 0
    assert stale == sorted(registry.files(names=("gd_bowl",)))


def test_check_names_every_asset_when_the_data_changes(built, tmp_path):
    out = copy_of(built, tmp_path)
    season = tmp_path / "season.csv"
    season.write_bytes(DATA.read_bytes().replace(b"Minnesota Twins,AL,Central,87", b"Minnesota Twins,AL,Central,88"))
    result = check(out, f"DATA={season}")
    assert result.returncode != 0
    assert len(result.stdout.splitlines()) == len(entries(out)) == len(registry.files())
    assert all("data" in line for line in result.stdout.splitlines())


def test_the_player_is_one_small_script_that_fetches_nothing_but_its_video(built):
    script = (built / "player.js").read_bytes()
    assert script == (ROOT / "render" / "publish" / "static" / "player.js").read_bytes()
    assert len(script) <= 16_000  # its CSS inside
    text = script.decode()
    assert "http://" not in text and "https://" not in text and "import" not in text
    # one fetch, of the video the figure names (over HTTP, so that stepping works on a
    # server without byte ranges)
    assert text.count("fetch(") == 1 and "fetch(url)" in text and "load(source())" in text


def test_page_escapes_everything_from_the_data(built, tmp_path):
    hostile = tmp_path / "hostile.csv"
    rows = DATA.read_text().splitlines()
    rows[1] = rows[1].replace("Minnesota Twins", '"<script>alert(1)</script> Twins & ""Co"""')
    hostile.write_text("\n".join(rows) + "\n")
    (tmp_path / "hostile.credit").write_text('Data: <b>bold</b> & "quoted"\n')
    html = page(load_manifest(built) | {"credit": data.credit_for(str(hostile))}, data.load(str(hostile)))
    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Twins &amp; &#34;Co&#34;" in html  # Jinja2's escape
    assert "Data: &lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34;" in html
    # the only script on the page is the page's own
    assert html.count("<script>") == 1


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    assert os.path.exists(CHROMIUM), "make test installs Debian's chromium; run it through make"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def open_page(browser, built, **context):
    ctx = browser.new_context(**context)
    tab = ctx.new_page()
    tab.goto((built / "index.html").as_uri())
    tab.wait_for_load_state("load")
    return ctx, tab


def test_page_in_a_real_browser(browser, built, tmp_path):
    listed = entries(built)
    ctx, tab = open_page(browser, built, viewport={"width": 1100, "height": 900})
    ready(tab)
    # for a person to look at: PAGE_SCREENSHOT=/tmp/page.png make test
    tab.screenshot(path=os.environ.get("PAGE_SCREENSHOT") or str(tmp_path / "page.png"))
    images = tab.eval_on_selector_all(
        "img", "els => els.map(e => ({src: e.getAttribute('src'), w: e.naturalWidth, alt: e.alt,"
               " width: e.width, current: e.currentSrc}))")
    assert len(images) == len(registry.own_files(("light",), ("desktop",)))  # each scene's still and animation once
    for im in images:
        assert im["w"] > 0, im["src"]
        assert im["alt"] and im["alt"] == listed[im["src"]]["alt"]
        # a player's poster (its video plays over it); a still: its AVIF, the format offered first
        assert im["current"].endswith(im["src"].replace(".gif", "_poster").replace(".png", "") + "@2x.avif"), im
    # every MP4 plays: a video element reaches a ready state with the manifest's duration
    for name in registry.ANIMATIONS:
        duration = tab.evaluate("""file => new Promise((done, fail) => {
            const v = document.createElement('video');
            v.muted = true; v.preload = 'auto';
            v.onloadeddata = () => done({ready: v.readyState, duration: v.duration});
            v.onerror = () => fail('cannot play ' + file + ': ' + (v.error && v.error.message));
            v.src = file; document.body.appendChild(v);
        })""", f"{name}.mp4")
        assert duration["ready"] >= 2
        assert duration["duration"] == pytest.approx(listed[f"{name}.mp4"]["duration_ms"] / 1000, abs=0.05)
    # each copy button puts its snippet in the "copied" box (and on the clipboard where allowed)
    buttons = tab.query_selector_all("button[data-snippet]")
    assert len(buttons) == len(registry.FIGURES) + 2 * len(registry.ANIMATIONS)
    for button in buttons:
        ident = button.get_attribute("data-snippet")
        button.click()
        snippet = tab.eval_on_selector(f"#{ident}", "e => e.textContent")
        assert tab.eval_on_selector("#copied", "e => e.value") == snippet
        assert snippet.startswith("<")  # shown escaped, copied as real HTML
    ctx.close()


def gif_frame(path: Path, index: int) -> np.ndarray:
    with Image.open(path) as im:
        im.seek(index)
        return np.asarray(im.convert("RGB")).astype(int)


def settled(tab, player) -> None:
    """Until the player's video shows the frame it was sent to (a seek is asynchronous)."""
    tab.wait_for_function("v => !v.seeking && v.readyState >= 2", arg=player.locator("video").element_handle())


def state(player) -> dict:
    return player.evaluate("""f => ({label: f.querySelector('output').textContent,
        value: Number(f.querySelector('input').value),
        valuetext: f.querySelector('input').getAttribute('aria-valuetext'),
        button: f.querySelector('button').getAttribute('aria-label')})""")


@pytest.fixture(scope="module")
def plain_server(built):
    """The built folder served the plain way, as `python -m http.server` does: Python's
    own handler, which sends no byte ranges (a video cannot be seeked by range there)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name, where", [(n, "disk") for n in registry.ANIMATIONS] + [("gd_line", "http")])
def test_the_player_pauses_steps_and_shows_the_animations_frames(browser, built, plain_server, name, where):
    timeline = entries(built)[f"{name}.gif"]["timeline"]
    labels = [f["label"] for f in timeline]
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = ctx.new_page()
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto((built / "index.html").as_uri() if where == "disk" else f"{plain_server}/index.html")
    player = tab.locator(f"#{name}-gif figure.gd-player")
    player.scroll_into_view_if_needed()  # it fetches its video as it nears the screen
    tab.wait_for_selector(f"#{name}-gif figure.gd-player[data-ready]")
    assert state(player)["button"] == "Pause"  # it plays
    player.get_by_role("button", name="Pause").click()
    assert state(player)["button"] == "Play"
    settled(tab, player)
    video = player.locator("video")
    first = video.screenshot()
    tab.wait_for_timeout(500)  # longer than all but the held first and last frames
    assert video.screenshot() == first  # paused: the picture holds

    player.get_by_role("slider", name="Step").fill("0")
    settled(tab, player)
    assert state(player) == {"label": labels[0], "value": 0, "valuetext": labels[0], "button": "Play"}
    player.get_by_role("button", name="Next step").click()
    settled(tab, player)
    assert state(player) == {"label": labels[1], "value": 1, "valuetext": labels[1], "button": "Play"}
    # the picture is that frame of the animation: nearer the GIF's frame 1 than its frame 0
    # where those two differ, and close to it everywhere (video decoding blurs a little)
    box = video.evaluate("v => { const r = v.getBoundingClientRect(); "
                         "return {x: r.x + v.clientLeft, y: r.y + v.clientTop, width: v.clientWidth, "
                         "height: v.clientHeight}; }")  # inside the border
    gif = built / f"{name}.gif"
    one, zero = gif_frame(gif, 1), gif_frame(gif, 0)
    moved = (one != zero).any(axis=2)
    assert moved.sum() > 100
    # A seek has ended when the video says so, but on a loaded machine the compositor may
    # paint the new frame a moment later: look again for up to 3 s before judging.
    deadline = time.monotonic() + 3
    while True:
        shown = np.asarray(Image.open(io.BytesIO(tab.screenshot(clip=box))).convert("RGB")).astype(int)
        assert shown.shape == one.shape
        nearer_one = np.abs(shown - one)[moved].mean() < 0.5 * np.abs(shown - zero)[moved].mean()
        if nearer_one or time.monotonic() > deadline:
            break
        tab.wait_for_timeout(100)
    assert nearer_one, (np.abs(shown - one)[moved].mean(), np.abs(shown - zero)[moved].mean())
    assert np.abs(shown - one).mean() < 4
    player.get_by_role("button", name="Previous step").click()
    assert state(player)["value"] == 0 and state(player)["label"] == labels[0]

    # the keyboard, while the player has focus
    player.focus()
    tab.keyboard.press("ArrowRight")
    assert state(player)["label"] == labels[1]
    tab.keyboard.press("ArrowLeft")
    assert state(player)["label"] == labels[0]
    tab.keyboard.press(" ")
    assert state(player)["button"] == "Pause"
    tab.keyboard.press(" ")
    assert state(player)["button"] == "Play"
    assert errors == []
    ctx.close()


def test_reduced_motion_shows_the_posters_and_starts_the_players_paused_on_the_last_frame(browser, built):
    listed = entries(built)
    ctx, tab = open_page(browser, built, reduced_motion="reduce")
    ready(tab)
    current = tab.eval_on_selector_all("figure.gd-player picture img", "els => els.map(e => e.currentSrc)")
    assert len(current) == len(registry.ANIMATIONS)
    assert all(src.endswith("_poster@2x.avif") for src in current), current
    for name in registry.ANIMATIONS:
        player = tab.locator(f"#{name}-gif figure.gd-player")
        last = listed[f"{name}.gif"]["timeline"][-1]["label"]
        assert state(player) == {"label": last, "value": len(listed[f"{name}.gif"]["timeline"]) - 1,
                                 "valuetext": last, "button": "Play"}
    ctx.close()


def test_without_javascript_every_animation_is_its_gif(browser, built):
    ctx, tab = open_page(browser, built, java_script_enabled=False)
    shown = tab.eval_on_selector_all("figure.gd-player img", "els => els.map(e => [e.currentSrc, e.naturalWidth])")
    assert len(shown) == len(registry.ANIMATIONS)
    assert all(src.endswith(".gif") and width > 0 for src, width in shown), shown
    assert tab.locator("figure.gd-player video").count() == 0
    ctx.close()


def test_a_manifest_of_another_version_reads_as_empty_so_everything_is_made_again(out):
    document = load_manifest(out)
    assert document["version"] == manifest.VERSION
    document["version"] = manifest.VERSION - 1  # an older shape: no code reads it
    (out / "manifest.json").write_text(json.dumps(document))
    assert manifest.load(str(out))["assets"] == []
    result = run_cli("build", "--dry-run", "--out-dir", out, "--themes", "")
    assert result.returncode == 0, result.stderr
    would = [line.split()[2].rstrip(":").rsplit("/", 1)[-1] for line in result.stdout.splitlines()]
    assert would == registry.files() and "not in the manifest" in result.stdout


def ready(tab, players: int = len(registry.ANIMATIONS)) -> None:
    """Until every player has its video and controls. A player fetches its video only as
    it nears the screen, and a picture below the first screen loads only then too: the
    reader's scroll down the page, one figure at a time."""
    for figure in tab.locator("figure").all():
        figure.scroll_into_view_if_needed()
    tab.wait_for_function("n => document.querySelectorAll('figure.gd-player[data-ready]').length == n", arg=players)
    tab.wait_for_function("() => [...document.images].every(i => i.complete)")


def shown_pictures(tab) -> list[dict]:
    """Every image and video a reader sees, with the file it is drawn from and its size."""
    return tab.evaluate("""() => [...document.querySelectorAll('img, video')]
        .filter(e => e.offsetParent !== null)
        .map(e => ({tag: e.tagName, current: e.currentSrc.split('/').pop(), width: e.clientWidth,
                    pixels: e.tagName === 'VIDEO' ? e.videoWidth : e.naturalWidth}))""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_picture_is_crisp_on_a_2x_screen(browser, built, scheme):
    listed = entries(built)
    # with JavaScript the same files show with motion or without it (a player only starts
    # elsewhere): light with motion, dark without, as the axe test pairs them
    for motion in ("no-preference",) if scheme == "light" else ("reduce",):
        ctx, tab = open_page(browser, built, device_scale_factor=2, viewport={"width": 1100, "height": 900},
                             color_scheme=scheme, reduced_motion=motion)
        ready(tab)
        shown = shown_pictures(tab)
        # the stills as pictures, the animations as their players' videos
        assert sorted(p["tag"] for p in shown) == ["IMG"] * len(registry.FIGURES) + ["VIDEO"] * len(registry.ANIMATIONS)
        for picture in shown:
            entry = listed[picture["current"]]
            assert entry["theme"] == scheme and entry["layout"] == "desktop", picture
            # an image's pixels from the manifest (naturalWidth counts a 2x file in CSS pixels)
            pixels = picture["pixels"] if picture["tag"] == "VIDEO" else entry["width"]
            assert pixels >= 2 * picture["width"] > 0, picture
        ctx.close()
    # without JavaScript and with reduced motion, the posters: at 2x too
    ctx, tab = open_page(browser, built, device_scale_factor=2, color_scheme=scheme, reduced_motion="reduce",
                         java_script_enabled=False)
    posters = [p for p in shown_pictures(tab) if "_poster" in p["current"]]
    assert len(posters) == len(registry.ANIMATIONS)
    assert all(p["current"].endswith("_poster@2x.avif") and listed[p["current"]]["width"] >= 2 * p["width"]
               for p in posters), posters
    ctx.close()


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_a_dark_reader_gets_every_picture_dark(browser, built, motion):
    listed = entries(built)
    for script in (True, False) if motion == "no-preference" else (False,):
        ctx, tab = open_page(browser, built, color_scheme="dark", reduced_motion=motion, java_script_enabled=script)
        errors = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        if script:
            ready(tab)
        shown = shown_pictures(tab)
        assert len(shown) == len(registry.FIGURES) + len(registry.ANIMATIONS)
        for picture in shown:
            assert listed[picture["current"]]["theme"] == "dark", picture
            assert "-dark" in picture["current"], picture
        if not script:  # the GIFs, or their posters under reduced motion
            wanted = "_poster" if motion == "reduce" else ".gif"
            assert sum(wanted in p["current"] for p in shown) == len(registry.ANIMATIONS), shown
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(%d, %d, %d)" % tuple(int(palette.DARK.background[i:i + 2], 16) for i in (1, 3, 5))
        assert errors == []
        ctx.close()


def test_the_player_follows_the_readers_scheme_as_it_changes(browser, built):
    ctx, tab = open_page(browser, built, color_scheme="light")
    ready(tab)
    player = tab.locator("#gd_line-gif figure.gd-player")
    player.get_by_role("button", name="Next step").click()  # paused, on whichever frame is next
    frame = state(player)["value"]
    assert frame >= 1 and player.locator("video").evaluate("v => v.currentSrc").endswith("/gd_line.mp4")
    tab.emulate_media(color_scheme="dark")
    tab.wait_for_function("v => v.currentSrc.endsWith('/gd_line-dark.mp4') && v.readyState >= 2",
                          arg=player.locator("video").element_handle())
    settled(tab, player)
    assert state(player)["value"] == frame and state(player)["button"] == "Play"  # on the same frame, paused
    ctx.close()


#: What the page may fetch at device pixel ratio 2, every file counted whole.
PAGE_BUDGET_BYTES = 4_000_000


#: How far the page may shift as it loads and the players arrive (Lighthouse's "good" is 0.1).
LAYOUT_SHIFT = 0.01


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_phone_fetches_what_it_shows_and_nothing_moves(browser, built, plain_server, scheme):
    ctx = browser.new_context(device_scale_factor=2, viewport={"width": 412, "height": 823}, color_scheme=scheme)
    tab = ctx.new_page()
    fetched, errors = [], []
    tab.on("request", lambda r: fetched.append(r.url.split("?")[0].split("/")[-1]))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{plain_server}/index.html")
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(300)
    # the first screen: no video, and none of the pictures far below it
    first = set(fetched)
    assert not any(f.endswith(".mp4") for f in first), sorted(first)
    last = registry.files(("light", "dark"), names=registry.ANIMATIONS[-1:])
    assert not first & set(last), sorted(first)
    ready(tab)  # the reader scrolls down: each player gets its video
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_timeout(300)
    files = {f for f in fetched if (built / f).is_file()}
    assert "index.html" in files and "player.js" in files
    # the phone layout's videos, in the reader's theme: no desktop file at all
    assert {f for f in files if f.endswith(".mp4")} == {
        f"{name}-phone{'' if scheme == 'light' else '-dark'}.mp4" for name in registry.ANIMATIONS}
    assert not [f for f in files if f.endswith(".gif")]  # the players run: no GIF fetched
    listed = entries(built)
    assert all(listed[f]["layout"] == "phone" and listed[f]["theme"] == scheme for f in files if f in listed), files
    # each picture a file that fills its device pixels, in AVIF, the format offered first
    for picture in shown_pictures(tab):
        if picture["tag"] == "IMG":
            entry = listed[picture["current"]]
            assert entry["width"] >= 2 * picture["width"] and entry["format"] == "avif", picture
    total = sum((built / f).stat().st_size for f in files)
    assert total <= PAGE_BUDGET_BYTES, (total, sorted(files))
    # every layout shift since the page opened (the observer hands the buffered ones over
    # at once, and none at all when nothing moved)
    shifted = tab.evaluate("""() => new Promise(done => {
        let sum = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) sum += e.value; }))
            .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => done(sum), 200);
    })""")
    assert shifted <= LAYOUT_SHIFT
    assert errors == []
    ctx.close()
