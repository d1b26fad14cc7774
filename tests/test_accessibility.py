"""axe-core, in Chromium, on the pages a reader opens: the catalogue and the tutorial, light
with motion and dark with reduced motion (the colours and both states of the players),
once every player has its video and controls.
No violation of any rule axe runs by default (WCAG A and AA, and its best practices:
landmarks, labels, contrast)."""
import pytest

from tests.test_publish import browser, ready  # noqa: F401  (the module's Chromium)

PAGES = ("index.html", "tutorial.html")


@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(browser, built, name):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for scheme, motion in (("light", "no-preference"), ("dark", "reduce")):
        ctx = browser.new_context(color_scheme=scheme, reduced_motion=motion, viewport={"width": 390, "height": 844})
        tab = ctx.new_page()
        tab.goto((built / name).as_uri())
        ready(tab, tab.locator("figure.gd-player").count())
        violations = axe.run(tab).response["violations"]
        ctx.close()
        assert violations == [], (name, scheme, motion,
                                  [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations])
