"""The live preview: a real `make serve` in a scratch copy of the project, on a free port,
over the shared build. Raw requests for paths outside the output folder, methods and byte
ranges; a real browser that sees an edit, a bad CSV's error and the recovery, and no
reload when nothing it shows changed; then Ctrl-C in the middle of a rebuild."""
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, clean_env
from tests.test_interrupts import hear_interrupts
from tests.test_publish import browser  # noqa: F401 (the module's Chromium)

TITLE = "Gradient descent lands on the least-squares line"


class Serving:
    """`make serve PORT=0 OUT=out` running in ``project``, its output read as it comes: the
    light desktop files of the tests' builds, in every format, as the copy of the shared
    build it serves has them (a page shows the files its manifest lists)."""

    def __init__(self, project: Path, out: Path, *settings: str):
        self.project, self.out = project, out
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "PORT=0", f"OUT={out}", "FORMATS=", *settings], cwd=project,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env(), start_new_session=True,
            preexec_fn=hear_interrupts)
        self.out_lines, self.err_lines = [], []
        self.readers = [threading.Thread(target=lambda s=stream, l=lines: l.extend(iter(s.readline, "")), daemon=True)
                        for stream, lines in ((self.process.stdout, self.out_lines), (self.process.stderr, self.err_lines))]
        for reader in self.readers:
            reader.start()
        url = self.wait_for(r"at (http://127\.0\.0\.1:(\d+)/)", timeout=120)
        self.url, self.port = url[1], int(url[2])

    def wait_for(self, pattern: str, timeout: float = 30, after: int = 0, stream: str = "out"):
        """The first line at or after line ``after`` that matches."""
        lines = self.out_lines if stream == "out" else self.err_lines
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in lines[after:]:
                found = re.search(pattern, line)
                if found:
                    return found
            assert self.process.poll() is None, "".join(self.err_lines)
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern!r}:\n{''.join(self.out_lines)}{''.join(self.err_lines)}")

    def request(self, target: str, method: str = "GET", headers: str = "") -> tuple[int, dict, bytes]:
        """One raw HTTP request, the target sent exactly as written (no client tidies it)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(f"{method} {target} HTTP/1.0\r\n{headers}\r\n".encode("latin-1"))
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        fields = dict(line.split(": ", 1) for line in lines[1:])
        return int(lines[0].split()[1]), fields, body

    def interrupt(self) -> float:
        """Ctrl-C, as a terminal sends it (to the whole foreground group); the seconds
        until everything has exited."""
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=10)
        seconds = time.monotonic() - started
        self.stop()
        return seconds

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            finally:  # nothing of it outlives the test, whatever went wrong
                if self.process.poll() is None:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
        for reader in self.readers:  # all said, then the pipes closed
            reader.join(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def serving(project, out):
    server = Serving(project, out)
    yield server
    server.stop()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edit(path: Path, old: str, new: str) -> None:
    """Save ``path`` as an editor that writes a new file and renames it over the old does."""
    text = path.read_text()
    assert old in text
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text.replace(old, new, 1))
    os.replace(temporary, path)


def test_it_serves_the_output_folder_and_nothing_else_and_keeps_a_page_embedded(project, out, tmp_path):
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text("Teams: <!-- gd:value teams --><!-- /gd -->.\n")
    serving = Serving(project, out, f"PAGE={page}")
    try:
        served_only_from_out(serving, project, out)
        embedded_and_rebuilt_once_a_burst(serving, project, page)
    finally:
        serving.stop()


def embedded_and_rebuilt_once_a_burst(serving, project, page):
    teams = len((project / DATA.relative_to(ROOT)).read_text().splitlines()) - 1
    assert re.fullmatch(rf"Teams: <!-- gd:value teams -->{teams}<!-- /gd [0-9a-f]{{8}} -->.\n", page.read_text())
    seen = len(serving.out_lines)
    for i in range(5):  # an editor's autosave, a formatter, the save itself: one rebuild
        page.write_text(page.read_text() + f"Line {i}: <!-- gd:value final_loss --><!-- /gd -->\n")
        time.sleep(0.01)
    serving.wait_for(r"^rebuilt in", after=seen)
    text = page.read_text()
    assert len(re.findall(r"<!-- gd:value final_loss -->\d\.\d{4}<!-- /gd [0-9a-f]{8} -->", text)) == 5, text
    time.sleep(1.0)  # the embed's own write, the new bytecode, the new files: none sets off another
    said = serving.out_lines[seen:]
    assert [line for line in said if line.startswith("saved:")] == [f"saved: {page}\n"], said
    assert len([line for line in said if line.startswith("rebuilt")]) == 1, said


def served_only_from_out(serving, project, out):
    makefile = (project / "Makefile").read_bytes()
    (out / "escape.txt").symlink_to(project / "Makefile")
    refused = ["/../Makefile", "/%2e%2e/Makefile", "/%2E%2E/%2E%2E/etc/passwd", "/..%2fMakefile", "/..%2F..%2Fetc%2Fpasswd",
               "/..\\Makefile", "/%5c..%5cMakefile", "/gd_fit.png%00.txt", "/escape.txt", "/./index.html"]
    for target in refused:
        status, _, body = serving.request(target)
        assert status == 403 and makefile not in body, target
    for target in ["/.built-all", "/manifest.json.tmp", "//etc/passwd", "/%252e%252e/Makefile", "/%ff", "/nothing.png"]:
        assert serving.request(target)[0] == 404, target
    assert serving.request("http://example.com/index.html")[0] == 400
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]:
        status, fields, _ = serving.request("/index.html", method, "Content-Length: 0\r\n")
        assert (status, fields.get("Allow")) == (405, "GET, HEAD"), method
    assert serving.request("/index.html", "BREW")[0] == 501

    # GET is the file; an HTML page carries the live script, its file on disk does not.
    png = (out / "gd_fit.png").read_bytes()
    status, fields, body = serving.request("/gd_fit.png")
    assert (status, body, fields["Content-Type"], fields["Content-Length"]) == (200, png, "image/png", str(len(png)))
    status, fields, body = serving.request("/")
    page = (out / "index.html").read_bytes()
    assert status == 200 and b"/__live__/live.js" in body and b"__live__" not in page
    assert body.replace(re.search(rb'<script src="/__live__/[^\n]*\n', body)[0], b"") == page
    status, fields, head = serving.request("/gd_fit.png", "HEAD")
    assert (status, head, fields["Content-Length"]) == (200, b"", str(len(png)))
    tag = fields["ETag"]  # a reload asks again, and gets the file only if it was replaced
    assert serving.request("/gd_fit.png", headers=f"If-None-Match: {tag}\r\n")[::2] == (304, b"")
    assert serving.request("/gd_fit.png", headers='If-None-Match: "other"\r\n')[::2] == (200, png)

    # Byte ranges, as a video element asks for them.
    video = (out / "gd_line.mp4").read_bytes()
    for asked, start, end in [("100-199", 100, 199), ("-50", len(video) - 50, len(video) - 1),
                              (f"{len(video) - 10}-", len(video) - 10, len(video) - 1), ("0-99999999", 0, len(video) - 1)]:
        status, fields, body = serving.request("/gd_line.mp4", headers=f"Range: bytes={asked}\r\n")
        assert (status, body) == (206, video[start:end + 1]), asked
        assert fields["Content-Range"] == f"bytes {start}-{end}/{len(video)}"
    status, fields, _ = serving.request("/gd_line.mp4", headers=f"Range: bytes={len(video)}-\r\n")
    assert (status, fields["Content-Range"]) == (416, f"bytes */{len(video)}")


def test_an_open_page_follows_the_edits_shows_a_failed_build_and_ctrl_c_stops_it(browser, serving, project, out):  # noqa: F811
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    index, tutorial = context.new_page(), context.new_page()
    problems = []
    for tab, name in ((index, "index.html"), (tutorial, "tutorial.html")):
        tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.goto(serving.url + name)
        tab.wait_for_function("window.gdLive && window.gdLive.heard > 0")
        tab.evaluate("window.mark = 1")  # gone when the page reloads

    def heard(tab, build):
        tab.wait_for_function(f"window.gdLive.build >= {build}", timeout=30_000)

    # The tutorial's prose: its page reloads with the new words; the catalogue, which does
    # not show tutorial.html, hears of the rebuild and stays as it is.
    loaded = index.evaluate("window.gdLive.build")
    edit(project / "tutorial" / "tutorial.md", "# ", "# Live, ")
    tutorial.wait_for_function("document.querySelector('h1').textContent.startsWith('Live, ')", timeout=30_000)
    heard(index, loaded + 1)
    assert index.evaluate("window.mark") == 1 and tutorial.evaluate("window.mark") is None
    tutorial.evaluate("window.mark = 1")

    # A scene's code: every page that shows gd_fit reloads, and shows the new picture.
    before = sha((out / "gd_fit.png").read_bytes())
    fetched = {}
    index.on("response", lambda r: fetched.__setitem__(r.url.split("?")[0].rsplit("/", 1)[-1], r))
    edit(project / "scenes" / "gd_fit.py", TITLE, TITLE + ", edited")
    index.wait_for_function("window.mark === undefined && document.readyState === 'complete'", timeout=30_000)
    picture = index.locator("img[src^='gd_fit.png']")
    picture.scroll_into_view_if_needed()
    index.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    shown = index.evaluate("(img) => img.currentSrc.split('/').pop().split('?')[0]", picture.element_handle())
    assert shown in ("gd_fit.png", "gd_fit@2x.png", "gd_fit@2x.avif")
    now = (out / shown).read_bytes()
    assert sha(fetched[shown].body()) == sha(now) and sha((out / "gd_fit.png").read_bytes()) != before
    index.evaluate("window.mark = 1")
    tutorial.wait_for_function("window.mark === undefined", timeout=30_000)  # it shows gd_fit too
    tutorial.evaluate("window.mark = 1")

    # A bad CSV: both pages show its error over the last good pictures, as does the
    # terminal; fixing it clears the error, and nothing shown changed, so no reload.
    csv = project / DATA.relative_to(ROOT)
    good = csv.read_text()
    rows = good.splitlines(keepends=True)
    build = index.evaluate("window.gdLive.build")
    errors_seen = len(serving.err_lines)
    csv.write_text(rows[0] + rows[1] + re.sub(r"^([^,]*,[^,]*,[^,]*,)\d+", r"\1abc", rows[2]) + "".join(rows[3:]))
    line = serving.wait_for(rf"^error: .*{re.escape(csv.name)}, row 3, column W: 'abc' is not a number", stream="err",
                            after=errors_seen)[0]
    for tab in (index, tutorial):
        tab.wait_for_selector("#gd-live-errors[role=alert]", timeout=30_000)
        assert line in tab.inner_text("#gd-live-errors")
        assert tab.evaluate("window.mark") == 1  # the last good page, not reloaded
        assert tab.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth > 0).length") > 0
    csv.write_text(good)
    for tab in (index, tutorial):
        tab.wait_for_selector("#gd-live-errors", state="detached", timeout=30_000)
        heard(tab, build + 2)
        assert tab.evaluate("window.mark") == 1

    # A scene that raises: its file and line, on the page; fixed, gone.
    scene = project / "scenes" / "gd_fit.py"
    edit(scene, "    theme = pen.theme\n", "    theme = pen.theme\n    1 / 0\n")
    index.wait_for_selector("#gd-live-errors", timeout=30_000)
    assert re.search(r"scenes/gd_fit\.py, line \d+, in still: ZeroDivisionError", index.inner_text("#gd-live-errors"))
    edit(scene, "    theme = pen.theme\n    1 / 0\n", "    theme = pen.theme\n")
    index.wait_for_selector("#gd-live-errors", state="detached", timeout=30_000)
    assert index.evaluate("window.mark") == 1
    assert problems == []

    # Ctrl-C in the middle of a rebuild, with both pages listening.
    seen, errors_seen = len(serving.out_lines), len(serving.err_lines)
    edit(scene, TITLE + ", edited", TITLE + ", once more")
    serving.wait_for(r"^saved: scenes/gd_fit\.py", after=seen)
    time.sleep(0.3)  # into the rebuild: drawing
    seconds = serving.interrupt()
    assert seconds <= 1.0, seconds
    assert serving.out_lines[-1].strip() == "stopped"
    assert not any(line.startswith("rebuilt") for line in serving.out_lines[seen:])  # it was stopped mid-way
    assert serving.err_lines[errors_seen:] == []  # no traceback, not a word
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    with socket.socket() as s:  # the port is free again: no one listens (closed streams may linger, as
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # every server allows for)
        s.bind(("127.0.0.1", serving.port))
        s.listen()
    context.close()


def test_a_rebuild_draws_first_what_the_open_pages_show(built):
    # Each open page says its theme and width; the variants they show are drawn (and the
    # pages told) before the rest: one theme, and the layouts that width takes.
    from render.serve.loop import shown_first
    from render.settings import Settings

    preview = Settings(str(DATA), out=str(built))
    first = lambda *looks: (lambda s: s and (s.themes, s.layouts))(shown_first(preview, set(looks)))  # noqa: E731
    assert first() is None  # no page open: one rebuild
    assert first((True, 390)) == (("dark",), ("phone",))
    assert first((False, 1280)) == (("light",), ("desktop",))
    assert first((False, 800)) == (("light",), ("desktop", "phone"))  # the 640 px figures fit, the 960 px do not
    assert first((False, 800), (True, 1280)) is None  # every variant: nothing to put first
