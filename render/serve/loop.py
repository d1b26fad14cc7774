"""`python -m render serve` (make serve): build, serve the output folder, then rebuild
once per burst of saves, in this one warm process, and tell the open pages.

The process imports numpy, pandas and matplotlib once. A rebuild is the build's own
(render/pipeline/run.py), and the page's embed `make embed`'s (render/commands/embed.py),
called here: content hashes decide what is stale, as in
`make all`, and its forked workers draw. When project code was saved, the changed modules
are forgotten and imported anew, so the new code draws: a scene module alone when only
scenes were edited (nothing imports a scene but the registry, lazily), else every module
of render/ and scenes/ (this folder's own excepted: a change to the preview itself needs
a restart, and the terminal says so). Bytecode is not written: a cached ``.pyc`` is
trusted by its source's time to the second and its size, and two saves within one second
may keep both.

After each rebuild the output folder is compared with what it held (by content), and the
pages hear which files changed and the rebuild's error lines (render/serve/server.py).
A failed rebuild leaves the last good files in place, as every failed build does: the
pages show the error lines over them, and the next good rebuild clears them.
"""
from __future__ import annotations

import importlib
import io
import os
import re
import sys
import time
import traceback
from contextlib import redirect_stderr, suppress
from dataclasses import replace

import watchfiles

from render.errors import InputError
from render.serve import server
from render.serve.sources import Sources, digest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: A burst of saves is one rebuild: changes are gathered until none has come for STEP_MS
#: (an editor's write-then-rename save is one), for at most DEBOUNCE_MS.
STEP_MS, DEBOUNCE_MS = 60, 1000
#: How long the watcher waits, with nothing saved, before it answers anyway (its first
#: answer says that it is live).
IDLE_MS = 250
#: What a rebuild draws and publishes with (numpy, pandas and matplotlib come with them):
#: imported before the first build, even one with nothing to draw.
WARM = ("render.pipeline.run", "render.commands.embed", "render.publish.tutorial")
#: Where the project's own code lives (not .venv, also under the root): a bug's line is
#: named in it.
PROJECT_CODE = tuple(os.path.join(ROOT, folder) + os.sep for folder in ("render", "scenes"))
#: This package: never forgotten, never reloaded.
SELF = "render.serve"


def serve(preview) -> int:
    """Build, serve and rebuild until Ctrl-C, with ``preview``'s settings (render/settings.py:
    `make all`'s, the page to keep embedded if any, and the port); the exit status."""
    sys.dont_write_bytecode = True
    embedding = None  # the settings `make embed` runs with after each good build, if any
    if preview.site or preview.page:
        embedding = preview
    pages = (preview.page,) if preview.page else ()
    if preview.site:  # its build is served, and every page it names re-embedded after each
        from render.commands.embed import resolve
        try:
            site, built, targets = resolve(preview)
        except InputError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        preview = replace(built, site=None, page=None)
        pages = (site.path, *(target.path for target in targets))
    sources = Sources(ROOT, preview.data, preview.out, pages)
    news = server.News()
    try:  # the port first: a busy one is said before any build is waited for
        httpd = server.start(preview.port, preview.out, news)
    except OSError as e:
        print(f"error: 127.0.0.1:{preview.port}: {e.strerror or e} (choose another port: make serve PORT=...)",
              file=sys.stderr)
        return 2
    try:
        for warm in WARM:  # once, now: not in the first rebuild the maintainer waits for
            with suppress(Exception):  # broken code: the build says where
                importlib.import_module(warm)
        folder = OutputFolder(preview.out)
        news.publish(*_rebuild(preview, sources, folder, embedding))
        if not os.path.isdir(preview.out):  # not even made (a bad CSV, no earlier build): nothing to show
            return 2
        _say(f"serving {preview.out}/ at {httpd.url} (the tutorial: {httpd.url}tutorial.html)")
        if len(pages) > 1:  # a site: its own server (mkdocs serve, sphinx-autobuild) shows its pages
            _say(f"re-embedding {len(pages) - 1} page(s) of {sources.name(pages[0])} after each good build; "
                 "your site's own server reloads them")
        for edited in saves(sources, lambda: _say(f"watching {', '.join(map(sources.name, sources.folders()))} "
                                                  "for saves; Ctrl-C stops")):
            started = time.monotonic()
            _say(f"saved: {', '.join(sources.name(p) for p in edited)}")
            # The preview's own Python runs on as it was imported (live.js is read afresh).
            ours = [p for p in edited if p.startswith(os.path.join(ROOT, "render", "serve") + os.sep)
                    and p.endswith(".py")]
            if ours:
                _say(f"{', '.join(map(sources.name, ours))}: the preview's own code; restart make serve to use it")
            forget(p for p in edited if p.endswith(".py") and sources.is_code(p) and p not in ours)
            # First what the open pages show (their theme, the layouts their width takes),
            # and they hear of it; then every other variant.
            first = shown_first(preview, news.viewing())
            if first is not None:
                changed, errors = _rebuild(first, sources, folder)
                if not errors:
                    news.publish(changed, errors)
                    _say(f"drew what the open pages show in {time.monotonic() - started:.1f} s")
            changed, errors = _rebuild(preview, sources, folder, embedding)
            news.publish(changed, errors)
            seconds = time.monotonic() - started
            if errors:
                _say(f"rebuild failed in {seconds:.1f} s; the open pages show its errors over the last good pictures")
            else:
                _say(f"rebuilt in {seconds:.1f} s: {len(changed)} file(s) changed"
                     + ("; the open pages that show them reload" if changed else ""))
    except KeyboardInterrupt:
        pass
    finally:
        server.stop(httpd)
    _say("stopped")
    return 0


def saves(sources: Sources, watching):
    """Each burst of saves that changed a watched file's content, as the files it changed.
    ``watching()`` is called once the watcher is live; at that moment every watched file
    is hashed, so a save made before it (while the first build ran) is not lost either."""
    live = False
    for changes in watchfiles.watch(*sources.folders(), watch_filter=lambda _, path: sources.counts(path),
                                    step=STEP_MS, debounce=DEBOUNCE_MS, recursive=False,
                                    yield_on_timeout=True, rust_timeout=IDLE_MS):
        paths = {path for _, path in changes}
        if not live:  # the first answer comes once the watcher is registered
            live = True
            watching()
            paths |= set(sources.watched())
        edited = sources.edited(paths)
        if edited:  # not a touch, nor a save of the same bytes
            yield edited


def _rebuild(preview, sources: Sources, folder: "OutputFolder", embedding=None) -> tuple[list[str], list[str]]:
    """A rebuild, then what the pages hear: the files it changed, its error lines."""
    errors = rebuild(preview, sources, embedding)
    return folder.changes(), errors


def shown_first(preview, looks: set[tuple[bool, int]]):
    """The settings of a first, smaller rebuild: the themes and layouts the open pages
    show (each page's theme; the layouts its width takes, as render/outputs.py has the
    pages choose them, from the figures' desktop widths in the manifest). None when no
    page is open, or it is the whole rebuild anyway."""
    if not looks:
        return None
    # Imported here, each time, as the build is: a save may have changed them.
    outputs = importlib.import_module("render.outputs")
    manifest = importlib.import_module("render.publish.manifest")
    widths = {e["width"] // e["density"] for e in manifest.load(preview.out)["assets"]
              if e["layout"] == outputs.DEFAULT_LAYOUT and e["role"] in ("still", "animation")}
    light, *others = outputs.THEMES
    themes = {others[0] if is_dark and others else light for is_dark, _ in looks}
    narrow = [layout for layout in outputs.LAYOUTS if layout != outputs.DEFAULT_LAYOUT]
    layouts = {outputs.DEFAULT_LAYOUT if width >= figure + 2 * outputs.PAGE_MARGIN_PX else layout
               for _, width in looks for figure in widths or {0} for layout in narrow}
    every_theme, every_layout = set(preview.themes or outputs.THEMES), set(preview.layouts or outputs.LAYOUTS)
    themes &= every_theme
    layouts &= every_layout
    if not themes or not layouts or (themes, layouts) == (every_theme, every_layout):
        return None
    return replace(preview, themes=tuple(sorted(themes)), layouts=tuple(sorted(layouts)))


def rebuild(preview, sources: Sources, embedding=None) -> list[str]:
    """`make all` with the preview's settings (and `make embed` with ``embedding``'s: its
    page, or every page of its site), in this process; returns the error lines it wrote
    (none: it succeeded)."""
    said = Tee(sys.stderr)
    with redirect_stderr(said):
        try:
            # Imported here, each time: a rebuild after a save must find the new code.
            run = importlib.import_module("render.pipeline.run")
            status = run.build(preview)
            if embedding is not None and status == 0:
                importlib.import_module("render.commands.embed").embed(embedding)
                for page in sources.pages:
                    sources.saw(page)  # our own writes: not edits
        except Exception as e:
            line = describe(e)
            if line is None:
                traceback.print_exception(e)  # a bug: the whole story in the terminal, one line on the page
                line = describe_bug(e)
            sys.stderr.write(line + "\n")
    sys.stdout.flush()
    return said.errors()


def describe(e: Exception) -> str | None:
    """The one line `python -m render` prints for an error a user can fix, or None. (The
    errors module of the code imported now: its InputError is the one the build raised.)"""
    return importlib.import_module("render.errors").one_line(e)


def describe_bug(e: Exception) -> str:
    """One line for any other error (a bug in a scene just saved): its type and words,
    and the line of the project's code it was raised from (the innermost: in a build
    worker's traceback, if it was raised in one; a syntax error's own line)."""
    where = None
    if isinstance(e, SyntaxError) and e.filename:
        where = (e.filename, e.lineno, None)
    else:
        text = "".join(traceback.format_exception(e))
        ours = [m for m in re.finditer(r'File "([^"]+)", line (\d+), in (\S+)', text)
                if m[1].startswith(PROJECT_CODE) and not m[1].startswith(os.path.join(ROOT, "render", "serve"))]
        if ours:
            where = (ours[-1][1], ours[-1][2], ours[-1][3])
    place = ""
    if where:
        file, line, function = where
        place = f"{os.path.relpath(file, ROOT)}, line {line}" + (f", in {function}" if function else "") + ": "
    message = e.msg if isinstance(e, SyntaxError) else str(e)
    return f"error: {place}{type(e).__name__}: {message}"


def forget(saved) -> None:
    """Forget the project's modules, so the next import runs their saved code: the saved
    scene modules alone when only scenes were saved, else every module of render/ and
    scenes/ but the preview's."""
    saved = [os.path.relpath(p, ROOT) for p in saved]
    if not saved:
        return
    scene = re.compile(r"scenes/(?!__init__|common)(\w+)\.py")
    if all(scene.fullmatch(p) for p in saved):
        names = {f"scenes.{scene.fullmatch(p)[1]}" for p in saved}
    else:
        names = {n for n in sys.modules if n == "scenes" or n.startswith("scenes.")
                 or n.startswith("render.") and n != SELF and not n.startswith(SELF + ".")}
    for name in names:
        sys.modules.pop(name, None)
    importlib.invalidate_caches()  # a new module file is found too


class Tee(io.TextIOBase):
    """stderr as it was, and a copy of what the build writes to it."""

    def __init__(self, stream):
        self.stream, self.text = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.text.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:  # the build's progress line asks
        return self.stream.isatty()

    def errors(self) -> list[str]:
        """The lines that said ``error:``, without a progress line's carriage return."""
        lines = (line.rsplit("\r", 1)[-1].replace("\x1b[K", "") for line in self.text.getvalue().splitlines())
        return [line for line in lines if line.startswith("error:")]


class OutputFolder:
    """The output folder's files as last seen, to tell which a rebuild changed: by
    content (a render rewritten with the same bytes changed nothing a page shows)."""

    def __init__(self, path: str):
        self.path, self.seen = path, {}
        self.changes()

    def changes(self) -> list[str]:
        """The URL paths of the files made, changed or removed since last asked."""
        now = {}
        for entry in (os.scandir(self.path) if os.path.isdir(self.path) else ()):
            if entry.name.startswith(".") or not entry.is_file():  # stamps, temporary files
                continue
            stat = entry.stat()
            key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            old = self.seen.get(entry.name)
            now[entry.name] = old if old and old[0] == key else (key, digest(entry.path))
        changed = sorted(n for n in now.keys() | self.seen.keys()
                         if (now.get(n) or (None, None))[1] != (self.seen.get(n) or (None, None))[1])
        self.seen = now
        return ["/" + name for name in changed]


def _say(line: str) -> None:
    print(line, flush=True)
