"""A maintainer's real site, from a site file (render/sites.py): a MkDocs + Material site
of two pages (one at a directory URL, the dark toggle followed) and a Sphinx + MyST site
(alabaster, which never shows dark; Furo, whose toggle can also follow the system), each
filled by `make embed SITE=...`, built by the site's own generator, and served the plain
way. Every URL of ours in the built HTML answers 200, the site's picture folder holds what
its pages use and no more, the players step, the toggle switches the pictures, the host's
CSS keeps their proportions, and nothing of ours writes to the console. A wrong site file
is one line and nothing written."""
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest

from render.publish import ship
from tests.conftest import ROOT, run_make
from tests.test_publish import browser, entries, settled, state  # noqa: F401  (the module's Chromium)
from tests.test_screens import as_shown, meets_floor

BIN = Path(sys.executable).parent
#: A URL of ours in a built page: a file of the site's picture folder, with its version.
OURS = re.compile(r"""[^\s"',;()&]*?(?:assets/gd|_static/gd)/([\w@.-]+)\?v=([0-9a-f]{8})""")

INDEX = """# Learning a line

The line starts flat, with a loss of <!-- gd:value start_loss --><!-- /gd -->, and
ends at <!-- gd:value final_loss --><!-- /gd --> after <!-- gd:value steps --><!-- /gd --> steps.

<!-- gd:figure gd_line -->
<!-- /gd -->

<!-- gd:figure gd_bowl still -->
<!-- /gd -->
"""
RATES = """# Three learning rates

The healthy rate lands by step <!-- gd:value landing_step link --><!-- /gd -->.

<!-- gd:figure gd_learning_rates -->
<!-- /gd -->

<!-- gd:figure gd_fit -->
<!-- /gd -->

<!-- gd:figure gd_scaling -->
<!-- /gd -->
"""


def site_build(built: Path, tmp_path: Path) -> Path:
    """A copy of the shared build for the site to keep its build in (the site file's
    ``build``): its files are current, so the embed draws nothing."""
    folder = tmp_path / "build"
    shutil.copytree(built, folder)
    return folder


def serve(folder: Path):
    """``folder`` served as `python -m http.server` serves it; returns (base URL, stop)."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop():
        server.shutdown()
        server.server_close()
    return f"http://127.0.0.1:{server.server_address[1]}", stop


def ours_in(html_file: Path, base: str, url: str) -> dict[str, str]:
    """Every URL of ours the built page holds (pictures, posters, videos, the script),
    resolved as the browser resolves them from the page's URL, by file name."""
    text = html_file.read_text(encoding="utf-8")
    found = {}
    for match in OURS.finditer(text):
        found.setdefault(match[1], set()).add(urljoin(base + url, match[0]))
    return found


def answers(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def site_make(*args: str):
    """`make` as the maintainer runs it: every theme, layout and format (the tests' other
    makes draw fewer), as the shared build was made."""
    return run_make("-s", *args, "THEMES=", "LAYOUTS=", "FORMATS=")


def embed_site(site_file: Path, *args: str):
    result = site_make("embed", f"SITE={site_file}", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def visit(browser, url: str, width: int, scheme: str = "light"):
    """The page in Chromium at ``width`` CSS px, every figure scrolled to; (context, tab,
    errors). Errors: the page's uncaught exceptions and console errors, but for the
    favicon a bare http.server lacks."""
    ctx = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=2)
    tab = ctx.new_page()
    errors = []
    tab.on("console", lambda m: errors.append((m.text, m.location.get("url", "")))
           if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)
    tab.on("pageerror", lambda e: errors.append((str(e), "")))
    tab.goto(url)
    tab.wait_for_load_state("load")
    for figure in tab.locator("figure").all():
        figure.scroll_into_view_if_needed()
    players = tab.locator("figure.gd-player").count()
    tab.wait_for_function("n => document.querySelectorAll('figure.gd-player[data-ready]').length == n", arg=players)
    tab.wait_for_function("() => [...document.images].every(i => i.complete)")
    return ctx, tab, errors


def pictures(tab) -> list[dict]:
    """Each picture shown: the file it is drawn from (a player's video: the file it plays)
    and its box."""
    return tab.evaluate("""() => [...document.querySelectorAll('figure img, figure video')]
        .filter(e => e.offsetParent !== null)
        .map(e => ({tag: e.tagName, width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height,
                    file: decodeURI((e.tagName === 'VIDEO' ? e.getAttribute('data-src') : e.currentSrc)
                                    .split('/').pop().split('?')[0])}))""")


def dark_files(shown: list[dict]) -> list[bool]:
    return [bool(re.search(r"-dark[@_.]", p["file"])) for p in shown]


def steps(tab) -> None:
    """Each player on the page, paused and stepped by its buttons, shows the next frame."""
    for player in tab.locator("figure.gd-player").all():
        player.scroll_into_view_if_needed()
        if state(player)["button"] == "Pause":
            player.get_by_role("button", name="Pause").click()
        player.get_by_role("slider", name="Step").fill("0")
        settled(tab, player)
        first = state(player)
        player.get_by_role("button", name="Next step").click()
        settled(tab, player)
        after = state(player)
        assert after["value"] == first["value"] + 1 and after["label"] != first["label"], (first, after)


def check_folder(folder: Path, pages: dict[str, Path], base: str) -> set[str]:
    """Every URL of ours on the built pages answers 200 with the version of the file the
    folder holds, and the folder holds those files and no others of ours."""
    import hashlib

    used = {}
    for url, html_file in pages.items():
        used.update(ours_in(html_file, base, url))
    assert {"player.js"} < set(used)
    for name, urls in used.items():
        for url in urls:
            assert answers(url) == 200, url
            assert url.endswith("?v=" + hashlib.sha256((folder / name).read_bytes()).hexdigest()[:8]), url
    held = {p.name for p in folder.iterdir()} - {ship.OWNED}
    assert held == set(used) | {"maintainer-logo.svg"}, held ^ set(used)
    assert set(ship.owned(str(folder))) == set(used)
    return set(used)


MKDOCS = """site_name: Descent
theme:
  name: material
  font: false
  palette:
    - scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode
nav:
  - index.md
  - rates.md
"""


def test_a_mkdocs_material_site_from_its_site_file(built, browser, tmp_path):
    site = tmp_path / "site"
    (site / "docs" / "assets" / "gd").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(MKDOCS)
    (site / "docs" / "index.md").write_text(INDEX)
    (site / "docs" / "rates.md").write_text(RATES)
    (site / "docs" / "assets" / "gd" / "maintainer-logo.svg").write_text("<svg/>")  # theirs: never touched
    site_file = site / "gd.toml"
    site_file.write_text(f"""# as the README's "Your site" gives it for MkDocs
out = "docs/assets/gd"
url = "/assets/gd/"
dark = '[data-md-color-scheme="slate"]'
build = "{site_build(built, tmp_path)}"

[[pages]]
file = "docs/index.md"
url = "/"

[[pages]]
file = "docs/rates.md"
url = "/rates/"
""")
    result = embed_site(site_file)
    assert f"{site / 'docs' / 'index.md'}: 5 marker(s) filled" in result.stdout, result.stdout
    assert f"{site / 'docs' / 'rates.md'}: 4 marker(s) filled" in result.stdout, result.stdout
    assert "0 made" in result.stdout  # the build was current: nothing drawn
    subprocess.run([BIN / "mkdocs", "build", "-q", "-d", "public"], cwd=site, check=True, capture_output=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    public = site / "public"
    base, stop = serve(public)
    try:
        pages = {"/": public / "index.html", "/rates/": public / "rates" / "index.html"}
        used = check_folder(site / "docs" / "assets" / "gd", pages, base)
        # what the pages show, in every theme and layout: not the catalogue, the manifest,
        # the histories or the SVGs
        assert not any(name.endswith((".svg", ".csv", ".json", ".html")) for name in used)
        assert {"gd_line-phone-dark.mp4", "gd_fit-dark@2x.avif", "gd_fit-phone@2x.png"} <= used
        listed = {e["file"]: e for e in json.loads((built / "manifest.json").read_text())["assets"]}
        for url, width in zip(pages, (390, 1280)):  # each page once: a phone's width, a desktop's
            ctx, tab, errors = visit(browser, base + url, width)
            light = pictures(tab)
            assert light and not any(dark_files(light)), light
            # Material's column is narrower than the screen (688 px at 1280): each picture
            # is the layout drawn for its room, its text at the floor as shown
            assert all(meets_floor(as_shown(listed[p["file"]], p["width"])) for p in light), light
            if width == 1280:  # gd_fit's 640 px fit the room, gd_scaling's 960 px do not
                shown = sorted(p["file"] for p in light if p["file"].startswith(("gd_fit", "gd_scaling")))
                assert shown == ["gd_fit@2x.avif", "gd_scaling-phone@2x.avif"], shown
            steps(tab)
            tab.locator("label[for='__palette_1']").click()  # Material's toggle: to dark
            tab.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
            tab.wait_for_function("""() => [...document.querySelectorAll('figure img, figure video')]
                .filter(e => e.offsetParent !== null)
                .every(e => /-dark[@_.]/.test(e.tagName === 'VIDEO' ? e.getAttribute('data-src') : e.currentSrc))""")
            dark = pictures(tab)
            assert [p["file"].replace("-dark", "") for p in dark] == [p["file"] for p in light]
            if width < 640:
                assert all("-phone" in p["file"] for p in dark), dark
            else:
                assert [p["file"] for p in dark if "gd_fit" in p["file"]] == ["gd_fit-dark@2x.avif"], dark
            # a phone turned to a desktop's width: the pictures the room now fits grow back
            # (a theme that sizes figures to their pictures does not keep them narrow)
            tab.set_viewport_size({"width": 1280 if width < 640 else 390, "height": 900})
            wide = width < 640
            tab.wait_for_function("""wide => [...document.querySelectorAll('figure img, figure video')]
                .filter(e => e.offsetParent !== null)
                .map(e => e.tagName === 'VIDEO' ? e.getAttribute('data-src') : e.currentSrc)
                .every(f => /-phone/.test(f) !== wide || /gd_(scaling|learning_rates)/.test(f))""", arg=wide)
            assert errors == [], errors
            ctx.close()
    finally:
        stop()

    # A figure leaves a page: its files leave the folder; the maintainer's file stays.
    rates = site / "docs" / "rates.md"
    text = rates.read_text()
    start = text.index("<!-- gd:figure gd_fit -->")
    end = re.compile(r"<!-- /gd [0-9a-f]{8} -->\n").search(text, start).end()
    rates.write_text(text[:start] + text[end:])
    stale = site_make("check", f"SITE={site_file}")
    assert stale.returncode == 2, stale.stdout + stale.stderr  # (make's status for check's 1)
    assert f"stale: {site / 'docs' / 'assets' / 'gd' / 'gd_fit.png'}: no page uses it any more" in stale.stdout
    assert stale.stderr.splitlines()[0].endswith(f"run 'make embed SITE={site_file}'"), stale.stderr
    embed_site(site_file)
    left = {p.name for p in (site / "docs" / "assets" / "gd").iterdir()}
    assert not any(name.startswith("gd_fit") for name in left) and "maintainer-logo.svg" in left
    assert any(name.startswith("gd_learning_rates") for name in left)
    assert rates.read_text() == text[:start] + text[end:]
    assert site_make("check", f"SITE={site_file}").returncode == 0


SPHINX = """project = "Descent"
extensions = ["myst_parser"]
html_theme = "{theme}"
html_static_path = ["_static"]
exclude_patterns = ["_build"]
"""
THEMES = {"alabaster": 'themes = ["light"]   # alabaster never shows dark',
          "furo": """dark = 'body[data-theme="dark"]'
light = 'body[data-theme="light"]'   # Furo's third state, "auto", follows the system"""}


@pytest.mark.parametrize("theme", THEMES)
def test_a_sphinx_myst_site_from_its_site_file(built, browser, tmp_path, theme):
    site = tmp_path / "site"
    source = site / "source"
    (source / "_static" / "gd").mkdir(parents=True)
    (source / "conf.py").write_text(SPHINX.format(theme=theme))
    (source / "index.md").write_text(INDEX + "\n```{toctree}\nrates\n```\n")
    (source / "rates.md").write_text(RATES)
    (source / "_static" / "gd" / "maintainer-logo.svg").write_text("<svg/>")
    site_file = site / "gd.toml"
    site_file.write_text(f"""out = "source/_static/gd"
url = "/_static/gd/"
{THEMES[theme]}
build = "{site_build(built, tmp_path)}"

[[pages]]
file = "source/index.md"
url = "/index.html"

[[pages]]
file = "source/rates.md"
url = "/rates.html"
""")
    embed_site(site_file)
    subprocess.run([BIN / "sphinx-build", "-q", "-b", "html", str(source), str(site / "html")], check=True,
                   capture_output=True)
    base, stop = serve(site / "html")
    try:
        pages = {"/index.html": site / "html" / "index.html", "/rates.html": site / "html" / "rates.html"}
        used = check_folder(source / "_static" / "gd", pages, base)
        assert any(("-dark" in name) for name in used) == (theme == "furo")
        listed = entries(built)
        for url, (width, scheme) in zip(pages, ((390, "dark"), (1280, "light"))):
            ctx, tab, errors = visit(browser, base + url, width, scheme)
            shown = pictures(tab)
            # the host's CSS (alabaster: max-width and no height) keeps every proportion
            for p in shown:
                entry = listed[p["file"]]
                assert abs(p["height"] / p["width"] - entry["height"] / entry["width"]) < 0.01, (p, entry)
                assert meets_floor(as_shown(entry, p["width"])), (p, entry["text_px"])  # in the theme's column
            # the OS's dark, on a site that never shows dark (alabaster): light; on
            # Furo's "auto": dark, until its toggle says light
            assert all(dark_files(shown)) if theme == "furo" and scheme == "dark" else not any(dark_files(shown))
            steps(tab)
            if theme == "furo":
                toggle = tab.locator("button.theme-toggle >> visible=true").first
                while tab.evaluate("() => document.body.dataset.theme") != ("light" if scheme == "dark" else "dark"):
                    toggle.click()
                wanted = "light" if scheme == "dark" else "dark"
                tab.wait_for_function("""dark => [...document.querySelectorAll('figure img, figure video')]
                    .filter(e => e.offsetParent !== null)
                    .every(e => /-dark[@_.]/.test(e.tagName === 'VIDEO' ? e.getAttribute('data-src')
                                                                        : e.currentSrc) === dark)""",
                                      arg=wanted == "dark")
            captions = tab.evaluate("() => [...document.querySelectorAll('figure')].map(f => !!f.querySelector("
                                    "':scope > figcaption'))")
            assert captions and all(captions)  # stills and players captioned alike
            # ... and a captioned figure takes no other role (ARIA in HTML; Lighthouse's axe)
            assert tab.evaluate("() => [...document.querySelectorAll('figure')].every(f => !f.hasAttribute('role'))")
            assert errors == [], errors
            ctx.close()
    finally:
        stop()


BAD_SITES = [
    ('out = "gd"\nurl = "/gd/"\n[[pages]\n', 3, "not TOML"),
    ('out = "gd"\nurl = "/gd/"\ncolour = "blue"\n' + '[[pages]]\nfile = "index.md"\nurl = "/"\n', 3,
     "colour: unknown key"),
    ('out = "gd"\nurl = "/gd/"\nsteps = "many"\n' + '[[pages]]\nfile = "index.md"\nurl = "/"\n', 3, "steps: "),
    ('out = 5\nurl = "/gd/"\n' + '[[pages]]\nfile = "index.md"\nurl = "/"\n', 1, "out: must be a string, not int 5"),
    ('out = "gd"\nurl = "/gd/"\n' + '[[pages]]\nfile = "missing.md"\nurl = "/"\n', 3,
     "pages[1].file: no such page: missing.md"),
    ('out = "gd"\nurl = "/gd/"\n' + '[[pages]]\nfile = "index.md"\nurl = "/"\n' * 2, 6,
     "pages[2].file: index.md is listed twice (as page 1 too)"),
    ('out = "index.md"\nurl = "/gd/"\n' + '[[pages]]\nfile = "index.md"\nurl = "/"\n', 1, "is a file, not a folder"),
    ('url = "/gd/"\n' + '[[pages]]\nfile = "index.md"\nurl = "/"\n', None, "out: missing"),
    ('out = "gd"\nurl = "/gd/"\n', None, "pages: give each page as a [[pages]] table"),
]


@pytest.mark.parametrize("text, line, words", BAD_SITES, ids=[b[2].split(":")[0] for b in BAD_SITES])
def test_a_wrong_site_file_is_one_line_and_nothing_is_written(tmp_path, capsys, text, line, words):
    from render.__main__ import main

    (tmp_path / "index.md").write_text("Loss <!-- gd:value start_loss --><!-- /gd -->.\n")
    site_file = tmp_path / "gd.toml"
    site_file.write_text(text)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for command in ("embed", "check"):
        assert main([command, "--site", str(site_file)]) == 2
        err = capsys.readouterr().err.splitlines()
        where = f"error: {site_file}" + (f", line {line}: " if line else ": ")
        assert len(err) == 1 and err[0].startswith(where) and words in err[0], err
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no page, no folder written


def test_a_relative_page_is_from_where_the_command_is_typed(built, tmp_path):
    page = tmp_path / "notes.md"
    page.write_text("The loss falls from <!-- gd:value start_loss --><!-- /gd -->.\n")
    typed_in = {"cwd": tmp_path, "env_pwd": str(tmp_path)}
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "embed", "PAGE=notes.md", f"OUT={built}", "THEMES=",
                             "LAYOUTS=", "FORMATS="], cwd=typed_in["cwd"], capture_output=True, text=True,
                            env={**os.environ, "PWD": typed_in["env_pwd"]})
    assert result.returncode == 0, result.stderr
    assert re.search(r"start_loss -->\d\.\d{4}<!-- /gd [0-9a-f]{8} -->", page.read_text())
    assert not (ROOT / "notes.md").exists()


def test_checks_hint_is_the_command_that_fixes_it_with_every_setting(built, tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Loss <!-- gd:value start_loss -->old<!-- /gd -->.\n")
    result = run_make("-s", "check", f"OUT={built}", "THEMES=", "LAYOUTS=", "FORMATS=", f"PAGE={page}")
    assert result.returncode == 2
    hint = [line for line in result.stderr.splitlines() if "run '" in line]
    assert hint and hint[0].endswith(f"run 'make embed OUT={built} PAGE={page}'"), result.stderr
    fix = shlex.split(hint[0].split("run '")[1].rstrip("'"))
    assert run_make(*fix[1:], "THEMES=", "LAYOUTS=", "FORMATS=").returncode == 0
    assert run_make("-s", "check", f"OUT={built}", "THEMES=", "LAYOUTS=", "FORMATS=", f"PAGE={page}").returncode == 0


@pytest.mark.parametrize("folder, page, base", [
    ("/assets/gd/", "/", "assets/gd/"),  # MkDocs: the home page
    ("/assets/gd/", "/rates/", "../assets/gd/"),  # MkDocs' directory URLs
    ("/assets/gd/", "/rates.html", "assets/gd/"),  # use_directory_urls: false
    ("/_static/gd/", "/index.html", "_static/gd/"),  # Sphinx's html_static_path
    ("/_static/gd/", "/guide/rates.html", "../_static/gd/"),
    ("/", "/index.html", ""),  # Sphinx's html_extra_path: the folder's files at the root
    ("/", "/guide/rates/", "../../"),  # ... under the dirhtml builder
    ("https://cdn.example.org/gd/", "/rates/", "https://cdn.example.org/gd/"),  # elsewhere: as given
])
def test_a_pages_urls_to_our_files_follow_from_the_two_urls(tmp_path, folder, page, base):
    from render import sites

    (tmp_path / "page.md").write_text("")
    (tmp_path / "gd.toml").write_text(f'out = "gd"\nurl = "{folder}"\n[[pages]]\nfile = "page.md"\nurl = "{page}"\n')
    site = sites.load(str(tmp_path / "gd.toml"))
    assert site.assets_base(site.pages[0]) == base
