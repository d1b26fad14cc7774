"""The project's own tutorial: every `make all` renders tutorial/tutorial.md into
output/tutorial.html with this build's numbers and figures, never rewriting the source;
another season changes every number the two seasons do not share."""
import html
import re

from render.pipeline import registry
from render.engine import data
from render.publish import embed, manifest, tutorial
from tests.conftest import DATA, ROOT

SOURCE = ROOT / "tutorial" / "tutorial.md"


def words(page: str) -> list[str]:
    """The words a reader reads: no tags, comments, scripts or styles, and not the players'
    tables of numbers (closed, under <details>)."""
    body = re.sub(r"<(script|style|details)\b.*?</\1>|<!--.*?-->|<[^>]+>", " ", page, flags=re.S)
    return html.unescape(body).split()


def values_in(page: str) -> dict[str, str]:
    # a value written as a link (gd:value NAME link) by its text
    return {name: re.sub(r"<[^>]+>", "", text)
            for name, text in re.findall(r"<!-- gd:value (\w+)(?: \w+)* -->(.*?)<!-- /gd(?: [0-9a-f]{8})? -->", page)}


def test_every_build_renders_the_tutorial_with_every_scene_and_value(built):
    page = (built / "tutorial.html").read_text()
    source = SOURCE.read_text()
    markers = embed.parse(SOURCE.read_bytes(), str(SOURCE))
    named = {m.name for m in markers if m.kind == "figure"}
    assert named == set(registry.NAMES)  # every scene
    filled = values_in(page)
    assert set(filled) == {m.name for m in markers if m.kind == "value"}
    summary = manifest.load(str(built))["summary"]
    assert f"Start loss: {filled['start_loss']}" in summary and f"{filled['runs_per_win']} runs per win" in summary
    assert f"Learned slope m = {filled['slope']}" in summary
    assert "not available" not in page and "could not be drawn" not in page
    for m in markers:
        if m.kind == "figure":  # its picture, from the folder the page sits in, with its hash
            assert re.search(rf'"{m.name}[.\w@-]*\?v=[0-9a-f]{{8}}', page), m.name
    players = sum("animation" in registry.get(m.name).kinds and "still" not in m.options for m in markers
                  if m.kind == "figure")
    assert page.count("player.js?v=") == 1 and page.count('class="gd-player"') == players == 4
    # prose that moves the pictures: links to steps, one of them the run's own landing step
    links = re.findall(r'href="#gd-step-(\d+)"', page)
    assert "5" in links and filled["landing_step"] in links
    assert 800 <= len(words(page)) <= 1500, len(words(page))
    assert '<main class="prose">' in page and "<title>Learning a line by walking downhill</title>" in page
    assert source == SOURCE.read_text()  # the build never rewrites the source
    # a line that starts with "<!--" starts an HTML block in Markdown, ending the paragraph
    assert not re.search(r"^\s*<!-- gd:value", source, re.M)
    assert page.count("<p>") > 15 and not re.search(r"<p>\s*<!-- gd:value", page)
    # a value that opens a sentence takes a capital
    assert re.search(r"Has descent landed on it\? <!-- gd:value landed -->(Yes|No)<!-- /gd [0-9a-f]{8} -->:", page)


def test_another_season_changes_the_tutorials_numbers(built, other_built):
    ours, theirs = (values_in((folder / "tutorial.html").read_text()) for folder in (built, other_built[1]))
    same = {name for name in ours if ours[name] == theirs[name]}
    # shared by any two seasons of 30 teams from the flat line, with the default settings:
    # the count, the settings, the start ((n - 1) / n in z-scores), the verdicts, the
    # rates, whether descent landed, and the centred intercepts
    assert same <= {"teams", "lr", "steps", "start_m", "start_b", "start_loss", "rate1", "rate2", "rate3",
                    "landed", "verdict", "rate1_verdict", "rate2_verdict", "rate3_verdict", "rate1_diverged_at",
                    "rate2_diverged_at", "rate3_diverged_at", "intercept", "closed_form_intercept",
                    "condition_z", "scaling_lr_z", "flat_step", "landing_step"}, same
    assert {"final_loss", "slope", "closed_form_slope", "wins_per_run", "runs_per_win", "condition_raw",
            "w_scored", "w_allowed"}.isdisjoint(same)
    assert ours["season"] == "2023" and theirs["season"] == "other"


def test_the_tutorial_page_escapes_what_comes_from_the_data(built, tmp_path):
    document = manifest.load(str(built)) | {"credit": 'Data: <b>bold</b> & "quoted"', "data": "<x>.csv"}
    from render.pipeline.plan import Plan
    from render.settings import Settings

    values = Plan(Settings(str(DATA), out=str(built))).values()
    page = tutorial.tutorial(document, values, str(built))
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page and "&lt;x&gt;.csv" in page
    assert data.load(str(DATA)).n == int(values_in(page)["teams"])
