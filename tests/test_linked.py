"""Linked views as data: gd_linked draws one (m, b) as both the line and the point in every
frame, for the tutorial's run, an exploding one and a diagonal start; and in Chromium,
a step link moves every player, and each player's table has a row a frame."""
import json

import numpy as np
import pytest

from render.outputs import THEMES
from render.pipeline import registry
from render.engine import data, problems
from render.engine.lesson import Lesson
from render.numbers import fixed
from render.settings import Settings
from scenes import gd_linked
from tests.conftest import DATA, drawing
from tests.test_publish import browser, entries, plain_server, ready  # noqa: F401  (the module's Chromium)

#: (lr, m0, b0): the tutorial's run, the exploding rate, and a start off both axes.
RUNS = [(0.1, 0.0, 0.0), (1.5, 0.0, 0.0), (0.1, -1.0, 1.5)]


def lesson(lr, m0, b0) -> Lesson:
    standings = data.load(str(DATA))
    settings = Settings(str(DATA), lr=lr, m0=m0, b0=b0)
    return Lesson(standings, tuple(problems.runs("line", standings, settings)), lr)


def by_gid(fig, gid):
    return next(a for ax in fig.axes for a in [*ax.lines, *ax.texts] if a.get_gid() == gid)


@pytest.mark.parametrize("lr, m0, b0", RUNS, ids=["healthy", "exploding", "diagonal"])
def test_the_point_and_the_line_are_one_m_and_b_in_every_frame(lr, m0, b0):
    run = lesson(lr, m0, b0)
    history = run.run.finite
    seen, left = [], []
    with drawing(run) as pen:
        for shot in gd_linked.animation(run, pen):  # the artists as posed for this frame; nothing drawn
            line, point = by_gid(shot.figure, "line"), by_gid(shot.figure, "point")
            (x0, x1), (y0, y1) = line.get_xdata(), line.get_ydata()
            (m,), (b,) = point.get_xdata(), point.get_ydata()
            assert (m, b) == (history.slope[shot.step], history.b[shot.step])  # the recorded step
            if np.isfinite(y0) and np.isfinite(y1) and abs(m) < 1e6:
                slope = (y1 - y0) / (x1 - x0)
                assert slope == pytest.approx(m, rel=1e-9, abs=1e-12)
                assert y0 - slope * x0 == pytest.approx(b, rel=1e-9, abs=1e-9)
            assert dict(shot.row) == {"step": str(shot.step), "m": fixed(m), "b": fixed(b),
                                      "loss": fixed(history.loss[shot.step], 4)}
            seen.append(shot.step)
            left.append(by_gid(shot.figure, "off the map").get_text())
    assert seen[0] == 0 and seen == sorted(seen) and len(seen) >= 5
    if lr == 1.5:  # the point leaves the map, and the panel says so
        assert any(text.startswith("the point has left the map") for text in left)
    else:
        assert not any(left)


def test_the_linked_gif_keeps_its_budget_and_its_words_come_from_the_run(built, other_built):
    listed = entries(built)
    for theme in THEMES:
        gif = registry.own_files((theme,), names=("gd_linked",))[0]
        assert listed[gif]["bytes"] <= 600_000
    _, other = other_built
    theirs = entries(other)["gd_linked.gif"]
    assert theirs["alt"] != listed["gd_linked.gif"]["alt"] and theirs["caption"] != listed["gd_linked.gif"]["caption"]


def frame_at(timeline, step) -> int:
    """The frame a step link shows: at that step, or the last one before it."""
    return max(i for i, moment in enumerate(timeline) if moment["step"] <= step)


def test_a_step_link_moves_every_player_and_every_table_has_a_row_a_frame(browser, built, plain_server):  # noqa: F811
    listed = entries(built)
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = ctx.new_page()
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{plain_server}/tutorial.html")
    players = tab.locator("figure.gd-player")
    ready(tab, players.count())
    names = [json.loads(layouts)[0]["video"]["light"].split("?")[0].removesuffix(".mp4") for layouts in
             players.evaluate_all("fs => fs.map(f => f.getAttribute('data-layouts'))")]
    assert "gd_linked" in names and len(names) >= 3
    # each table: one row a frame, under a closed <details>
    for name, rows in zip(names, players.evaluate_all(
            "fs => fs.map(f => f.querySelectorAll('details:not([open]) table tbody tr').length)")):
        assert rows == len(listed[f"{name}.gif"]["timeline"]), name
    for target in (5, 0):
        link = tab.locator(f'a[href="#gd-step-{target}"]').first
        link.scroll_into_view_if_needed()
        before = [p.locator("video").screenshot() for p in players.all()]
        link.click()
        for k, (name, player) in enumerate(zip(names, players.all())):
            timeline = listed[f"{name}.gif"]["timeline"]
            frame = frame_at(timeline, target)
            tab.wait_for_function("v => !v.seeking && v.readyState >= 2", arg=player.locator("video").element_handle())
            state = player.evaluate("""f => ({value: Number(f.querySelector('input').value),
                time: f.querySelector('video').currentTime, button: f.querySelector('button').textContent})""")
            assert state["value"] == frame and state["button"] == "Play", (name, target, state)  # there, paused
            start = sum(m["ms"] for m in timeline[:frame]) / 1000
            assert start <= state["time"] < start + timeline[frame]["ms"] / 1000, (name, state)
        # the pictures moved (each was playing elsewhere), and the live region says where
        after = [p.locator("video").screenshot() for p in players.all()]
        assert sum(a != b for a, b in zip(before, after)) >= 1
        said = tab.locator(".gd-said[aria-live=polite]").text_content()
        assert f"to step {target}:" in said and listed["gd_linked.gif"]["timeline"][frame_at(
            listed["gd_linked.gif"]["timeline"], target)]["label"] in said
    assert tab.evaluate("location.hash") == ""  # handled: the page did not jump
    assert errors == []
    ctx.close()
