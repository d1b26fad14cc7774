"""`make embed PAGE=...`: a maintainer's page filled from the build, in place. Everything
outside the markers stays byte for byte; a second run writes nothing; a bad marker is one
line naming the page and the line, and the page is left alone; `make check PAGE=` names
the markers another season has made stale."""
import hashlib
import json
import os
import re

import pytest

from render.pipeline import registry
from render.errors import InputError
from render.publish import embed, manifest
from tests.conftest import run_make

#: A page as a maintainer writes one: CRLF line endings, a byte-order mark, trailing
#: spaces, text that is not ASCII, Markdown and raw HTML, every kind of marker.
PAGE = ("\ufeff# Learning a line\r\n\r\n"
        "In <!-- gd:value season --><!-- /gd -->, <!-- gd:value teams -->?<!-- /gd --> teams. The loss falls from "
        "<!-- gd:value start_loss -->old<!-- /gd --> to <!-- gd:value final_loss --><!-- /gd -->.   \r\n\r\n"
        "<!-- gd:figure gd_line -->\r\n<!-- /gd -->\r\n\r\n"
        "Café, naïve — the bowl as a still:\r\n\r\n"
        "<!-- gd:figure gd_bowl still -->\r\nwhatever was here\r\n<!-- /gd -->\r\n\r\n"
        "<!-- gd:figure gd_learning_rates -->\r\n<!-- /gd -->\r\n\r\n"
        "<!-- gd:figure gd_fit markdown -->\r\n<!-- /gd -->\r\n"
        "Slope <!-- gd:value slope --><!-- /gd -->, or <!-- gd:value runs_per_win --><!-- /gd --> runs a win.\r\n")
OPEN = re.compile(rb"(<!--[ \t]*gd:[^>]*-->)")
#: A closing comment: ``<!-- /gd -->`` as written, with its content's checksum once filled.
CLOSE = re.compile(rb"<!-- /gd(?: [0-9a-f]{8})? -->")


def outside(page: bytes) -> list[bytes]:
    """The page's bytes outside every marker (its content and closing comment), in order."""
    parts, at = [], 0
    for opened in OPEN.finditer(page):
        parts.append(page[at:opened.end()])
        at = CLOSE.search(page, opened.end()).end()
    return parts + [page[at:]]


def embed_make(page, out, *args, data=None):
    """`make embed`, with the settings the folder was built with (DATA: the default's)."""
    return run_make("-s", "embed", f"OUT={out}", f"PAGE={page}", *([f"DATA={data}"] if data else []), *args)


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "site" / "tutorial.md"
    path.parent.mkdir()
    path.write_bytes(PAGE.encode("utf-8"))
    return path


def test_embed_fills_every_marker_and_keeps_every_other_byte(other_built, page, capsys):
    from render.__main__ import main

    season, out = other_built
    before = page.read_bytes()
    result = embed_make(page, out, data=season)
    assert result.returncode == 0, result.stderr
    after = page.read_bytes()
    assert outside(after) == outside(before)
    assert after.count(b"\r\n") == after.count(b"\n")  # the page's own line endings, inside too
    assert main(["values", "--data", str(season)]) == 0  # as `make values DATA=...` runs it
    values = dict(line.split(None, 2)[:2] for line in capsys.readouterr().out.splitlines())
    text = after.decode("utf-8")
    for name in ("teams", "start_loss", "final_loss", "slope", "runs_per_win"):
        assert f"<!-- gd:value {name} -->{values[name]}<!-- /gd " in text, name
    assert main(["summary", "--data", str(season)]) == 0
    summary = capsys.readouterr().out
    assert f"Start loss: {values['start_loss']}" in summary and f"{values['runs_per_win']} runs per win" in summary
    assert values["season"] == "other"  # its credit names no year: the file's name
    # every file by its URL from the page, with the first 8 hex digits of its hash
    listed = {e["file"]: e for e in manifest.load(str(out))["assets"]}
    urls = re.findall(r'(?:src|srcset|data-video(?:-dark)?)="([^"]+)"', text) + re.findall(r"\]\(<([^>]+)>\)", text)
    assert urls
    folder = os.path.relpath(out, page.parent) + "/"
    # a srcset is "URL WIDTHw, URL WIDTHw"
    for url in (c.split()[0] for value in urls for c in value.split(",")):
        path, version = url.split("?v=")
        assert path.startswith(folder), url
        name = path.rsplit("/", 1)[1]
        data = (out / name).read_bytes()
        assert version == hashlib.sha256(data).hexdigest()[:8], url
        assert name == "player.js" or version == listed[name]["sha256"][:8], url
    assert len(re.findall(rf'<script src="{re.escape(folder)}player.js\?v=\w{{8}}" defer></script>', text)) == 1
    assert text.count('class="gd-player"') == 2  # the line and the learning rates; the bowl as a still
    assert "gd_bowl@2x.png" in text and "gd_bowl.gif" not in text
    assert "![" in text and "gd_fit.png?v=" in text  # plain Markdown for renderers that strip HTML
    # a second run writes nothing: the same bytes and the same time
    stamp = os.stat(page).st_mtime_ns
    again = embed_make(page, out, data=season)
    assert again.returncode == 0 and again.stdout.strip().endswith("up to date"), again.stdout
    assert page.read_bytes() == after and os.stat(page).st_mtime_ns == stamp
    # and against the bundled season, the values that differ are stale, by line (not the
    # start loss: from a flat line it is (n - 1) / n in z-scores, for any 30 teams)
    check = run_make("-s", "check", f"OUT={out}", f"PAGE={page}")
    assert check.returncode != 0
    stale = [line for line in check.stdout.splitlines() if line.startswith(f"stale: {page}, line ")]
    named = {re.search(r"gd:\w+ (\w+)", line).group(1) for line in stale}
    assert named >= {"season", "final_loss", "slope", "runs_per_win"} and "start_loss" not in named, named
    assert run_make("-s", "check", f"OUT={out}", f"DATA={season}", f"PAGE={page}").returncode == 0


def test_a_dry_run_shows_the_diff_and_writes_nothing(other_built, page):
    season, out = other_built
    before, stamp = page.read_bytes(), os.stat(page).st_mtime_ns
    result = embed_make(page, out, "DRY_RUN=1", data=season)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(l.startswith("-") and "gd:value start_loss -->old<" in l for l in lines)
    assert any(l.startswith("+") and re.search(r"gd:value start_loss -->\d\.\d{4}<", l) for l in lines)
    assert page.read_bytes() == before and os.stat(page).st_mtime_ns == stamp


@pytest.mark.parametrize("body, line, words", [
    ("a\nb <!-- gd:value no_such_value --><!-- /gd -->\n", 2, "no value named 'no_such_value'"),
    ("Wins:\n<!-- gd:value teams --><!-- /gd --> teams\n", 2, "gd:value teams opens a line: Markdown would end the "
                                                              "paragraph before it"),
    ("<!-- gd:figure gd_nothing -->\n<!-- /gd -->\n", 1, "no scene named 'gd_nothing'"),
    ("x\ny\nz <!-- gd:value teams -->30\n", 3, "gd:value teams is not closed"),
    ("<!-- gd:figure gd_fit -->\nz <!-- gd:value teams --><!-- /gd -->\n<!-- /gd -->\n", 2, "markers do not nest"),
    ("text\n<!-- /gd -->\n", 2, "<!-- /gd --> closes no marker"),
    ("<!-- gd:chart gd_fit --><!-- /gd -->\n", 1, "unknown marker 'gd:chart'"),
    ("<!-- gd:figure gd_line huge --><!-- /gd -->\n", 1, "unknown option 'huge'"),
    ("<!-- gd:figure gd_line still --><!-- /gd -->\n", 1, "scene gd_line has no still"),
    ("a\nb <!-- gd:value teams link --><!-- /gd -->\n", 2, "value teams is not a step: it cannot be a link"),
    ("z <!-- gd:value steps huge --><!-- /gd -->\n", 1, "unknown option 'huge'"),
])
def test_a_bad_marker_is_one_line_and_the_page_is_untouched(built, tmp_path, capsys, body, line, words):
    # (in this process, as `python -m render embed` runs: make adds only its start-up)
    from render.__main__ import main

    page = tmp_path / "page.md"
    page.write_bytes(body.encode())
    stamp = os.stat(page).st_mtime_ns
    assert main(["embed", "--out-dir", str(built), "--page", str(page)]) == 2
    ours = capsys.readouterr().err.splitlines()
    assert len(ours) == 1 and ours[0].startswith(f"error: {page}, line {line}: ") and words in ours[0], ours
    assert page.read_bytes() == body.encode() and os.stat(page).st_mtime_ns == stamp


def test_a_bad_marker_through_make(built, tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"Teams: <!-- gd:value nope --><!-- /gd -->\n")
    result = embed_make(page, built, "THEMES=", "LAYOUTS=", "FORMATS=")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    ours = [l for l in result.stderr.splitlines() if not l.startswith("make")]
    assert ours == [f"error: {page}, line 1: no value named 'nope' (make values lists them)"]


def test_a_page_that_is_not_utf8_is_refused(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>caf\xe9</p>\n<!-- gd:value teams --><!-- /gd -->\n")
    with pytest.raises(InputError, match=r"line 1: byte 0xe9 is not UTF-8 text"):
        embed.read_page(str(page))


def test_a_page_changed_on_disk_during_the_embed_is_not_overwritten(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"old <!-- gd:value teams --><!-- /gd -->\n")
    read = page.read_bytes()
    page.write_bytes(b"the maintainer saved this meanwhile\n")  # after the embed read it
    with pytest.raises(InputError, match="changed on disk during the embed; nothing written"):
        embed.replace_page(str(page), read, b"old <!-- gd:value teams -->30<!-- /gd -->\n")
    assert page.read_bytes() == b"the maintainer saved this meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temporary left


def test_an_html_page_and_an_assets_prefix(built, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"<main>\n<!-- gd:figure gd_loss -->\n<!-- /gd -->\n</main>\n")
    result = embed_make(page, built, "THEMES=", "LAYOUTS=", "FORMATS=", "ASSETS=https://example.org/gd")
    assert result.returncode == 0, result.stderr
    text = page.read_text()
    entry = {e["file"]: e for e in manifest.load(str(built))["assets"]}["gd_loss.png"]
    assert f'src="https://example.org/gd/gd_loss.png?v={entry["sha256"][:8]}"' in text
    assert f'alt="{entry["alt"]}"' in text and "<figcaption>" in text
    assert not any(f"{name}." in text for name in registry.NAMES if name != "gd_loss")


def test_markers_are_found_as_the_embed_reads_them():
    markers = embed.parse(PAGE.encode(), "page.md")
    assert [(m.kind, m.name, m.line) for m in markers][:5] == [
        ("value", "season", 3), ("value", "teams", 3), ("value", "start_loss", 3), ("value", "final_loss", 3),
        ("figure", "gd_line", 5)]
    assert markers[5].options == frozenset({"still"}) and markers[7].options == frozenset({"markdown"})
    assert len(markers) == 10


def test_a_step_value_as_a_link_points_the_players_at_its_step(built, tmp_path, capsys):
    from render.__main__ import main

    page = tmp_path / "page.md"
    page.write_text("Landed from step <!-- gd:value landing_step link --><!-- /gd --> on; "
                    "by then <!-- gd:value landing_step --><!-- /gd -->.\n")
    assert main(["embed", "--out-dir", str(built), "--page", str(page)]) == 0
    capsys.readouterr()
    step = re.search(r"by then <!-- gd:value landing_step -->(\d+)<", page.read_text()).group(1)
    assert f'<!-- gd:value landing_step link --><a href="#gd-step-{step}">{step}</a><!-- /gd ' in page.read_text()
    # and the step is one the players have a frame at or before
    timeline = {e["file"]: e for e in json.loads((built / "manifest.json").read_text())["assets"]}["gd_line.gif"]["timeline"]
    assert timeline[0]["step"] == 0 <= int(step)


def test_a_marker_edited_by_hand_is_refused_named_by_check_and_overwritten_only_with_force(built, tmp_path, capsys):
    from render.__main__ import main

    page = tmp_path / "page.md"
    page.write_text("The loss ends at <!-- gd:value final_loss --><!-- /gd -->, from "
                    "<!-- gd:value start_loss --><!-- /gd -->.\n")
    args = ["--out-dir", str(built), "--page", str(page)]
    assert main(["embed", *args]) == 0
    filled = page.read_text()
    assert re.search(r"final_loss -->[\d.]+<!-- /gd [0-9a-f]{8} -->", filled), filled
    # the maintainer rewords the number inside the marker, and something outside it
    edited = re.sub(r"final_loss -->[\d.]+<", "final_loss -->about a tenth<", filled).replace("ends at", "settles at")
    page.write_text(edited)
    stamp = os.stat(page).st_mtime_ns
    capsys.readouterr()
    assert main(["embed", *args]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {page}, line 1: gd:value final_loss was edited by hand"), err
    assert page.read_text() == edited and os.stat(page).st_mtime_ns == stamp
    assert main(["check", *args]) == 1
    out = capsys.readouterr().out
    assert f"edited by hand: {page}, line 1: gd:value final_loss" in out and "stale:" not in out, out
    assert main(["embed", *args, "--force"]) == 0  # FORCE=1: the build's words again, the rest kept
    assert page.read_text() == filled.replace("ends at", "settles at")
    assert main(["check", *args]) == 0


def test_check_reports_a_value_marker_that_opens_a_markdown_line(built, tmp_path, capsys):
    from render.__main__ import main

    page = tmp_path / "page.md"
    page.write_text("The loss falls from\n<!-- gd:value start_loss --><!-- /gd --> at the start.\n")
    assert main(["check", "--out-dir", str(built), "--page", str(page)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {page}, line 2: gd:value start_loss opens a line")
    html = tmp_path / "page.html"  # in HTML a comment at a line's start is only a comment
    html.write_text("<p>The loss falls from\n<!-- gd:value start_loss --><!-- /gd --> at the start.</p>\n")
    assert main(["embed", "--out-dir", str(built), "--page", str(html)]) == 0
