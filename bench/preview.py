"""The live preview against a cold make: `make serve` running in the scratch project with a
page open in Chromium, an edit saved, and the time until the page holds what the edit
made; against `make all` run afresh for the same edit, into a folder at the same state.

- one scene's code (gd_fit's title): from the save until the reloaded page shows the new
  gd_fit picture (its file fetched and drawn), ROUNDS times, two titles in turn;
- the data (one team's wins and losses, moved by one and back): from the save until the
  reloaded page has loaded, twice.

The preview and the cold make take turns, never run at once (the preview only watches
while the cold make runs). Called by bench/bench.py, which owns the build it starts from.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import threading
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from render.settings import DEFAULTS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SCENE_FILE = os.path.join("scenes", "gd_fit.py")
TITLE = "Gradient descent lands on the least-squares line"
#: (what, key, bound, "max")
TARGETS = (("preview: one scene's code saved until the page shows it, median s", "scene_s", 2.0),
           ("preview: one scene, preview / cold make", "scene_over_cold", 0.5),
           ("preview: data saved until the page reloads, minus a cold make all, s", "data_minus_cold_s", 1.0))


def save(path: str, text: str) -> None:
    """As an editor saves: a new file renamed over the old."""
    temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.bench")
    with open(temporary, "w") as f:
        f.write(text)
    os.replace(temporary, path)


def timed_make(project: str, out: str) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    started = time.perf_counter()
    subprocess.run(["make", "-s", f"OUT={out}", "all"], cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


class Preview:
    """`make serve PORT=0` in the project, into ``out``."""

    def __init__(self, project: str, out: str):
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        self.process = subprocess.Popen(["make", "-s", "serve", "PORT=0", f"OUT={out}"], cwd=project, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        start_new_session=True, preexec_fn=_hear_interrupts)
        self.lines = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(iter(self.process.stdout.readline, "")),
                                       daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 300
        while not any("serving" in line for line in self.lines):
            assert self.process.poll() is None and time.monotonic() < deadline, "make serve did not start"
            time.sleep(0.05)
        self.url = re.search(r"at (http://\S+/)", next(line for line in self.lines if "serving" in line))[1]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        self.process.stdout.close()


def _hear_interrupts() -> None:
    """Ctrl-C as a terminal sends it, even where the bench was started in the background
    by a shell without job control (which leaves SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def measure(project: str, built: str, rounds: int) -> dict:
    """Seconds for each edit, through the preview and through a cold make."""
    from playwright.sync_api import sync_playwright

    work = os.path.dirname(built)
    served, cold = os.path.join(work, "preview-served"), os.path.join(work, "preview-cold")
    for folder in (served, cold):
        shutil.copytree(built, folder)
    timed_make(project, cold)  # both at the project's state before the first edit
    preview = Preview(project, served)
    seconds = {"scene": [], "scene_cold": [], "data": [], "data_cold": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(preview.url + "index.html")
            tab.wait_for_function("window.gdLive && window.gdLive.heard > 0")
            bodies = {}
            tab.on("response", lambda r: bodies.__setitem__(r.url.split("?")[0].rsplit("/", 1)[-1], r))
            scene = os.path.join(project, SCENE_FILE)
            original = open(scene).read()
            for i in range(rounds):
                tab.locator("img[src^='gd_fit.png']").scroll_into_view_if_needed()
                tab.evaluate("window.mark = 1")
                before = _sha(os.path.join(served, "gd_fit.png"))
                started = time.perf_counter()
                save(scene, original.replace(TITLE, TITLE + ("." if i % 2 == 0 else ",")))
                tab.wait_for_function("""() => { const img = document.querySelector("img[src^='gd_fit.png']");
                    return window.mark === undefined && img && img.complete && img.naturalWidth > 0; }""",
                                      timeout=60_000, polling=10)
                seconds["scene"].append(time.perf_counter() - started)
                shown = tab.evaluate("document.querySelector(\"img[src^='gd_fit.png']\").currentSrc")
                shown = shown.split("?")[0].rsplit("/", 1)[-1]
                assert _sha(os.path.join(served, "gd_fit.png")) != before, "the picture did not change"
                assert hashlib.sha256(bodies[shown].body()).hexdigest() == _sha(os.path.join(served, shown))
                _settle(preview)
                seconds["scene_cold"].append(timed_make(project, cold))
            data = os.path.join(project, DEFAULTS.data)
            rows = open(data).read().splitlines(keepends=True)
            for i in range(2):  # one team's record moved by a game, then back
                team = rows[1].split(",")
                team[3], team[4] = (str(int(team[3]) + 1), str(int(team[4]) - 1)) if i == 0 else (
                    str(int(team[3]) - 1), str(int(team[4]) + 1))
                rows[1] = ",".join(team)
                tab.evaluate("window.mark = 1")
                started = time.perf_counter()
                save(data, "".join(rows))
                tab.wait_for_function("window.mark === undefined && document.readyState === 'complete'",
                                      timeout=300_000, polling=10)
                seconds["data"].append(time.perf_counter() - started)
                _settle(preview)
                seconds["data_cold"].append(timed_make(project, cold))
            save(scene, original)
            browser.close()
    finally:
        preview.stop()
    median = {k: statistics.median(v) for k, v in seconds.items()}
    return {"seconds": seconds, "median": median, "scene_s": median["scene"],
            "scene_over_cold": median["scene"] / median["scene_cold"],
            "data_minus_cold_s": median["data"] - median["data_cold"],
            "rebuilds": [line.strip() for line in preview.lines if line.startswith(("rebuilt", "rebuild failed"))]}


def _settle(preview: Preview) -> None:
    """Until the preview has said its rebuild is done (it is idle, watching)."""
    deadline = time.monotonic() + 300
    count = sum(line.startswith("saved:") for line in preview.lines)
    while sum(line.startswith(("rebuilt", "rebuild failed")) for line in preview.lines) < count:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _sha(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def targets(measured: dict) -> list:
    return [{"what": what, "value": measured[key], "target": f"<= {bound:g}", "met": measured[key] <= bound}
            for what, key, bound in TARGETS]


def report(measured: dict) -> None:
    m = measured["median"]
    print(f"preview (make serve): one scene's code saved until the page shows it {m['scene']:.2f} s "
          f"(cold make {m['scene_cold']:.2f} s, ratio {measured['scene_over_cold']:.2f}); "
          f"data saved until the page reloads {m['data']:.2f} s (cold make all {m['data_cold']:.2f} s)")
    print("  " + "; ".join(measured["rebuilds"]))
