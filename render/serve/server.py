"""The preview's web server: the output folder over HTTP on 127.0.0.1, and the news of
each rebuild as server-sent events.

It answers GET and HEAD only, and only with files under the output folder: a path is
decoded once, and any ``..`` or ``.`` segment, backslash or NUL in it is refused, as is a
name that resolves (through a link) outside the folder; hidden files (the build's
stamps and temporary files) are not served, and no folder is listed. Byte ranges are
answered, so a video seeks as it would on a real host. Every page is sent with
``live.js`` added before ``</body>`` (the file on disk stays the build's). Every
response says ``Cache-Control: no-cache`` with an ETag from the file's identity (inode,
size, time; a rebuild replaces a file, so a new one has a new inode): a page reloaded
after a rebuild asks again for every file, gets the changed ones and a 304 for the rest,
and never shows a picture from before it.

Standard library only: it runs on threads beside the warm build, which may import the
project's modules anew at any time.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: The server's own paths: the live script and the event stream. Never a file of the
#: build (whose names start with a letter).
LIVE = "/__live__/"
LIVE_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "live.js")
#: How often an idle event stream says it is alive: a page whose tab was closed is
#: noticed, and its thread ends, within this time.
KEEPALIVE_S = 10.0
#: How often the serving loop checks for a stop: Ctrl-C must end it within a second.
POLL_S = 0.1
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".json": "application/json", ".csv": "text/csv; charset=utf-8", ".png": "image/png",
         ".gif": "image/gif", ".svg": "image/svg+xml", ".mp4": "video/mp4", ".css": "text/css; charset=utf-8"}
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class News:
    """What the open pages are told: how many rebuilds there have been, in which one each
    file last changed, and the last build's error lines. Pages ask for what changed since
    the build they were loaded at, so a page that was loading, or reconnecting, while a
    rebuild finished still hears of it."""

    def __init__(self):
        # A server started anew (make serve run again) numbers its builds from 0: a page
        # loaded from the previous one cannot know what changed and reloads.
        self.instance = f"{os.getpid()}-{time.time_ns()}"
        self.build, self.errors, self.closed = 0, [], False
        self._changed_in: dict[str, int] = {}
        self._condition = threading.Condition()
        self._viewers: dict[int, tuple[bool, int]] = {}  # each open event stream: its page's (dark, width)

    def viewing(self) -> set[tuple[bool, int]]:
        """How the open pages look: whether each is dark, and its width in CSS px."""
        with self._condition:
            return set(self._viewers.values())

    def watched_by(self, key: int, look: tuple[bool, int] | None) -> None:
        """An event stream opened (with its page's look) or closed (None)."""
        with self._condition:
            if look is None:
                self._viewers.pop(key, None)
            else:
                self._viewers[key] = look

    def publish(self, changed, errors) -> int:
        """A rebuild finished: it changed the files at these URL paths, and said these
        error lines (none: it succeeded). Returns its number."""
        with self._condition:
            self.build += 1
            for path in changed:
                self._changed_in[path] = self.build
            self.errors = list(errors)
            self._condition.notify_all()
            return self.build

    def since(self, build: int, instance: str) -> dict:
        """What a page loaded at ``build`` of ``instance`` needs to hear now."""
        with self._condition:
            if instance != self.instance:
                return {"build": self.build, "changed": [], "reload": True, "errors": self.errors}
            changed = sorted(p for p, b in self._changed_in.items() if b > build)
            return {"build": self.build, "changed": changed, "reload": False, "errors": self.errors}

    def wait(self, build: int, timeout: float) -> bool:
        """Wait until a rebuild after ``build`` has finished (True), or ``timeout``."""
        with self._condition:
            return self._condition.wait_for(lambda: self.closed or self.build > build, timeout) and not self.closed

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()


def resolve(root: str, target: str) -> tuple[int, str | None]:
    """The file a request target names under ``root`` (a real path), or why not:
    (200, path), (403, None) for anything that points outside, (404, None)."""
    path = urllib.parse.urlsplit(target).path if target.startswith("/") else None
    if path is None:  # an absolute URL, '*' or nonsense: nothing of ours
        return HTTPStatus.BAD_REQUEST, None
    try:
        name = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:  # not a name any file of ours has
        return HTTPStatus.NOT_FOUND, None
    segments = [s for s in name.split("/") if s]
    if "\\" in name or "\0" in name or any(s in (".", "..") for s in segments):
        return HTTPStatus.FORBIDDEN, None
    if any(s.startswith(".") for s in segments):  # stamps, temporary files
        return HTTPStatus.NOT_FOUND, None
    full = os.path.realpath(os.path.join(root, *segments))
    if full != root and not full.startswith(root + os.sep):  # a link that leads out
        return HTTPStatus.FORBIDDEN, None
    if os.path.isdir(full):  # no listing: a folder is its index.html or nothing
        full = os.path.join(full, "index.html")
    return (HTTPStatus.OK, full) if os.path.isfile(full) else (HTTPStatus.NOT_FOUND, None)


def with_live_script(html: bytes, news: News) -> bytes:
    """A page as sent: ``live.js`` added before ``</body>``, told which build and which
    server the page comes from."""
    tag = (f'<script src="{LIVE}live.js" data-instance="{news.instance}" data-build="{news.build}" '
           f'defer></script>\n').encode()
    at = html.lower().rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


#: The page at / before the first good build (a bad CSV at start): the error lines show on
#: it, and it reloads once index.html exists.
NOTHING_YET = (b'<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>Nothing built yet</title>'
               b'<main><h1>Nothing built yet</h1><p>The build has not succeeded yet; this page reloads when it '
               b'does.</p></main></html>\n')


class Handler(BaseHTTPRequestHandler):
    def version_string(self) -> str:
        return "gd-preview"

    def do_GET(self):
        self._answer(body=True)

    def do_HEAD(self):
        self._answer(body=False)

    def _refuse(self):
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"only GET and HEAD\n", "text/plain; charset=utf-8", True,
                   {"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse

    def log_message(self, format, *args):  # the terminal is for the build's lines
        pass

    def _answer(self, body: bool) -> None:
        news: News = self.server.news
        if self.path.startswith(LIVE):
            return self._live(body, news)
        status, path = resolve(self.server.root, self.path)
        if status != HTTPStatus.OK:
            if status == HTTPStatus.NOT_FOUND and urllib.parse.urlsplit(self.path).path == "/":
                return self._send(HTTPStatus.OK, with_live_script(NOTHING_YET, news), TYPES[".html"], body)
            words = {HTTPStatus.FORBIDDEN: b"outside the output folder\n", HTTPStatus.NOT_FOUND: b"not found\n"}
            return self._send(status, words.get(status, b"bad request\n"), "text/plain; charset=utf-8", body)
        try:
            with open(path, "rb") as f:  # the whole file: a rebuild replaces it, never rewrites it
                stat = os.fstat(f.fileno())
                data = f.read()
        except OSError:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", body)
        kind = TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")
        tag = f"{stat.st_ino:x}-{stat.st_size:x}-{stat.st_mtime_ns:x}"
        if kind.startswith("text/html"):  # the page as sent holds the build it comes from
            tag = f'"{tag}-{news.instance}-{news.build}"'
            if self.headers.get("If-None-Match") == tag:
                return self._send(HTTPStatus.NOT_MODIFIED, b"", kind, False, {"ETag": tag})
            return self._send(HTTPStatus.OK, with_live_script(data, news), kind, body, {"ETag": tag})
        tag = f'"{tag}"'
        if self.headers.get("If-None-Match") == tag:
            return self._send(HTTPStatus.NOT_MODIFIED, b"", kind, False, {"ETag": tag})
        self._ranged(data, kind, body, tag)

    def _ranged(self, data: bytes, kind: str, body: bool, tag: str) -> None:
        """The file, or the one byte range asked for (several ranges, or a range of a
        version that has since been replaced: the whole file, as the standard allows)."""
        wanted = RANGE.fullmatch((self.headers.get("Range") or "").strip())
        if self.headers.get("If-Range", tag) != tag:
            wanted = None
        if not wanted or wanted[1] == wanted[2] == "":
            return self._send(HTTPStatus.OK, data, kind, body, {"Accept-Ranges": "bytes", "ETag": tag})
        size = len(data)
        if wanted[1] == "":  # the last n bytes
            start, end = max(0, size - int(wanted[2])), size - 1
            if int(wanted[2]) == 0:
                start = size
        else:
            start = int(wanted[1])
            end = min(int(wanted[2]), size - 1) if wanted[2] else size - 1
        if start >= size or start > end:
            return self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"", kind, body,
                              {"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes", "ETag": tag})
        self._send(HTTPStatus.PARTIAL_CONTENT, data[start:end + 1], kind, body,
                   {"Content-Range": f"bytes {start}-{end}/{size}", "Accept-Ranges": "bytes", "ETag": tag})

    def _send(self, status, data: bytes, kind: str, body: bool, headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _live(self, body: bool, news: News) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == LIVE + "live.js":
            with open(LIVE_JS, "rb") as f:
                return self._send(HTTPStatus.OK, f.read(), TYPES[".js"], body)
        if url.path != LIVE + "events" or not body:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", body)
        query = urllib.parse.parse_qs(url.query)
        try:
            seen = int(query.get("build", ["0"])[0])
        except ValueError:
            seen = 0
        instance = query.get("instance", [""])[0]
        try:
            look = (query.get("dark", ["0"])[0] == "1", int(query.get("width", ["0"])[0]))
        except ValueError:
            look = None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        # The stream: at once, what changed since the page was loaded (and the errors, if
        # the last build failed); then one event a rebuild, for as long as the page is open.
        news.watched_by(id(self), look)
        try:
            while not news.closed:
                state = news.since(seen, instance)
                self.wfile.write(f"event: build\ndata: {json.dumps(state)}\n\n".encode())
                self.wfile.flush()
                seen, instance = state["build"], news.instance
                while not news.wait(seen, KEEPALIVE_S):
                    if news.closed:
                        return
                    self.wfile.write(b": still here\n\n")  # a closed tab fails this write
                    self.wfile.flush()
        finally:
            news.watched_by(id(self), None)


class Server(ThreadingHTTPServer):
    """One thread a connection (an event stream holds its own), none kept at exit."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, root: str, news: News):
        self.root, self.news = os.path.realpath(root), news
        super().__init__(("127.0.0.1", port), Handler)

    def handle_error(self, request, client_address):
        # A reader who closes the tab or seeks a video cuts a connection mid-answer:
        # nothing to report.
        pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


def start(port: int, root: str, news: News) -> Server:
    """Serve ``root`` on 127.0.0.1:``port`` (0: any free port) from a thread."""
    server = Server(port, root, news)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_S}, daemon=True).start()
    return server


def stop(server: Server) -> None:
    """End every stream, stop serving and free the port."""
    server.news.close()
    server.shutdown()
    server.server_close()
