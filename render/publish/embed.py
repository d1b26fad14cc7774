"""`make embed PAGE=...`: fills the markers in a maintainer's own page (Markdown or HTML)
with this build's numbers and figures, and changes nothing else in it.

    The start loss is <!-- gd:value start_loss -->0.9667<!-- /gd -->.

    <!-- gd:figure gd_line -->
    ...the player, its GIF, posters and video, light and dark, alt text and caption...
    <!-- /gd -->

A value marker holds a number or word from the run (render/publish/values.py), with a
capital when it opens a sentence (after . ? or !). A figure
marker holds a scene's markup (render/publish/html.py): its animation if it has one,
else its still; ``still`` asks for the still, ``markdown`` for plain Markdown image
syntax (for renderers that strip HTML). Every file is addressed relative to the page (or
under ``assets``) with ``?v=`` and the first 8 hex digits of its sha256, so a reader's
cache never pairs last season's picture with this season's numbers. The player's script
is linked once, in the page's first animation.

The page is the maintainer's: it is read and written as bytes, everything outside the
markers kept byte for byte (line endings, trailing spaces, a byte-order mark), what goes
in written with the page's own line ending. A page whose bytes would not change is not
written (its time stays). Otherwise it is replaced atomically, keeping its mode, and not
at all if it changed on disk since it was read. A marker that is unknown, unclosed,
stray or nested is one line naming the page and the marker's line, and nothing is written.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, replace

from markupsafe import escape

from render.errors import InputError, read_input
from render.publish.html import PLAYER, FigureMarkup, figures, static
from render.publish.values import Value

#: ``<!-- gd:value NAME [link] -->``, ``<!-- gd:figure NAME [still] [markdown] -->`` and the
#: closing ``<!-- /gd -->`` (``<!-- /gd CHECKSUM -->`` once filled); anything else that
#: starts ``gd:`` is a mistake worth a line.
MARKER = re.compile(rb"<!--[ \t]*(/gd(?:[ \t]+[0-9a-f]{8})?|gd:[^>]*?)[ \t]*-->")
#: Pages written in Markdown, where a comment that opens a line opens an HTML block.
MARKDOWN = (".md", ".markdown", ".mdown", ".qmd", ".rmd")
FIGURE_OPTIONS = {"still", "markdown"}
#: ``<!-- gd:value NAME link -->``: a value that is a step, as a link to that step
#: (#gd-step-N), which moves the page's players there (render/publish/static/player.js).
VALUE_OPTIONS = {"link"}


@dataclass(frozen=True)
class Marker:
    kind: str  # "value" or "figure"
    name: str
    options: frozenset
    line: int  # where it opens, as an editor numbers lines
    start: int  # the content: page[start:end]
    end: int
    opens_sentence: bool = False  # after a sentence's end (. ? !): a word in it takes a capital
    close_end: int = 0  # where its closing comment ends
    recorded: str | None = None  # the checksum its closing comment holds, once filled

    def edited(self, page: bytes) -> bool:
        """Whether its content is not what was filled in (someone edited it by hand)."""
        return self.recorded is not None and checksum(page[self.start:self.end]) != self.recorded


def checksum(content: bytes) -> str:
    """What a closing comment holds of the content filled in, as cog keeps one: 8 hex digits."""
    return hashlib.sha256(content).hexdigest()[:8]


def parse(page: bytes, where: str, markdown: bool = False) -> list[Marker]:
    """Every marker of the page in order, or an InputError naming the first problem. In a
    Markdown page a value marker must not open a line: CommonMark would end the paragraph
    before it (an HTML block), and the sentence would break in two."""
    markers, open_ = [], None
    for found in MARKER.finditer(page):
        line = page.count(b"\n", 0, found.start()) + 1
        words = found.group(1).decode("utf-8", "replace").split()
        if words[0] == "/gd":
            if open_ is None:
                raise _error(where, line, "<!-- /gd --> closes no marker")
            kind, name, options, opened_line, start, opens = open_
            markers.append(Marker(kind, name, options, opened_line, start, found.start(), opens, found.end(),
                                  words[1] if len(words) > 1 else None))
            open_ = None
            continue
        head = words[0]
        if head not in ("gd:value", "gd:figure"):
            raise _error(where, line, f"unknown marker {head!r} (gd:value NAME or gd:figure NAME)")
        kind = head[3:]
        if len(words) < 2:
            raise _error(where, line, f"{head} needs a name")
        options = frozenset(words[2:])
        allowed = FIGURE_OPTIONS if kind == "figure" else VALUE_OPTIONS
        if not options <= allowed:
            extra = sorted(options - allowed)
            raise _error(where, line, f"{head} {words[1]}: unknown option {extra[0]!r}")
        if open_ is not None:
            raise _error(where, line, f"{head} {words[1]} is inside gd:{open_[0]} {open_[1]} (line {open_[3]}); "
                                      f"markers do not nest")
        opens = page[:found.start()].rstrip().endswith((b".", b"?", b"!"))
        line_start = page.rfind(b"\n", 0, found.start()) + 1
        if markdown and kind == "value" and not page[line_start:found.start()].strip():
            raise _error(where, line, f"gd:value {words[1]} opens a line: Markdown would end the paragraph before "
                                      f"it; move it off the start of the line")
        open_ = (kind, words[1], options, line, found.end(), opens)
    if open_ is not None:
        raise _error(where, open_[3], f"gd:{open_[0]} {open_[1]} is not closed (<!-- /gd -->)")
    return markers


def _error(where: str, line: int, message: str) -> InputError:
    return InputError(f"{where}, line {line}", message)


class Filler:
    """What goes inside each marker, for one page."""

    def __init__(self, values: dict[str, Value], manifest: dict, page: str, out_dir: str, assets: str | None,
                 newline: str, lenient: bool = False, dark: str | None = None, light: str | None = None,
                 cannot_draw: dict[str, str] | None = None):
        self.values, self.newline = values, newline
        # The project's own tutorial is built even for a season that lacks a column, and
        # by `make animations`, which draws no stills: what cannot be filled says so on the
        # page, and why (``cannot_draw``: the data's reason, by scene), instead of stopping.
        self.lenient = lenient
        self.cannot_draw = cannot_draw or {}
        self.figures = figures(manifest)
        self.scenes = manifest.get("scenes", {})
        if assets is None:  # the output folder, relative to the page's own folder
            base = os.path.relpath(os.path.abspath(out_dir), os.path.dirname(os.path.abspath(page)))
            base = "" if base == "." else base.replace(os.sep, "/") + "/"
        else:
            base = assets if assets.endswith("/") or not assets else assets + "/"
        self.base = base
        player = hashlib.sha256(static(PLAYER)).hexdigest()[:8]
        self.markup = FigureMarkup(url=self.url, player=f"{base}{PLAYER}?v={player}", dark=dark, light=light)
        # With the site's own dark toggle (``dark``, a CSS selector), the script follows it
        # for the stills too: it comes with the page's first figure, not its first player.
        self.dark = dark
        self.script_linked = False
        self.used: set[str] = set()  # every file the page's markers address, by name
        self.filled = 0  # figures filled so far: the page's first picture loads at once, the rest lazily

    def url(self, entry: dict) -> str:
        self.used.add(entry["file"])
        return f"{self.base}{entry['file']}?v={entry['sha256'][:8]}"

    def content(self, marker: Marker, where: str) -> str:
        if marker.kind == "value":
            if marker.name not in self.values:
                if self.lenient:
                    return "(not available for this data)"
                raise _error(where, marker.line, f"no value named {marker.name!r} (make values lists them)")
            value = self.values[marker.name]
            if marker.opens_sentence:  # "Has descent landed on it? Yes: ..."
                value = replace(value, text=value.text[:1].upper() + value.text[1:])
            if "link" not in marker.options:
                return str(escape(value.text))
            if value.step is None:
                if self.lenient:
                    return str(escape(value.text))
                raise _error(where, marker.line, f"value {marker.name} is not a step: it cannot be a link")
            return str(self.markup.step_link(value.step, value.text))
        kinds = self.scenes.get(marker.name)
        if kinds is None:
            raise _error(where, marker.line, f"no scene named {marker.name!r} (scenes: {', '.join(self.scenes)})")
        kind = "still" if "still" in marker.options or "animation" not in kinds else "animation"
        if kind not in kinds:
            raise _error(where, marker.line, f"scene {marker.name} has no still")
        figure = self.figures.get((marker.name, kind))
        if figure is None or not figure.complete():
            if self.lenient:
                why = self.cannot_draw.get(marker.name)
                note = (f"{marker.name} could not be drawn for this data: {why}" if why is not None
                        else f"{marker.name} is not in this build: make all draws every picture")
                return f"{self.newline}<p><em>({escape(note)})</em></p>{self.newline}"
            raise _error(where, marker.line, f"scene {marker.name}'s files are not in the build's manifest: "
                                             f"run 'make all' first")
        lazy, self.filled = self.filled > 0, self.filled + 1
        if "markdown" in marker.options:
            lines = [self.markup.markdown(figure)]
        else:
            lines = [self.markup.captioned(figure, lazy)]
            # The script comes with the first figure that needs it: a player, the site's
            # toggle to follow, or a choice of layouts to make by the figure's room.
            if (kind == "animation" or self.dark or len(figure.layouts()) > 1) and not self.script_linked:
                lines.append(self.markup.script())
                self.script_linked = True
        text = "\n".join(lines)
        return self.newline + text.replace("\n", self.newline) + self.newline


def fill(page: bytes, where: str, filler: Filler, markdown: bool = False) -> Filled:
    """The page with every marker filled, each closing comment holding the checksum of what
    went in; and each marker whose content changes, and each edited by hand since it was
    filled."""
    markers = parse(page, where, markdown)
    out, changed, edited, at = [], [], [], 0
    for marker in markers:
        new = filler.content(marker, where).encode("utf-8")
        close = b"<!-- /gd " + checksum(new).encode() + b" -->"
        out += [page[at:marker.start], new, close]
        if page[marker.start:marker.end] != new:
            changed.append((marker, page[marker.start:marker.end]))
        if marker.edited(page):
            edited.append(marker)
        at = marker.close_end
    out.append(page[at:])
    return Filled(b"".join(out), changed, edited)


@dataclass(frozen=True)
class Filled:
    page: bytes
    changed: list  # (marker, its content before) for each whose content changes
    edited: list  # each marker whose content was edited by hand since it was filled


def is_markdown(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in MARKDOWN


def read_page(path: str) -> bytes:
    page = read_input(path, "page")
    try:
        page.decode("utf-8")
    except UnicodeDecodeError as e:
        line = page.count(b"\n", 0, e.start) + 1
        raise InputError(f"{path}, line {line}", f"byte 0x{page[e.start]:02x} is not UTF-8 text; save the page "
                                                 f"as UTF-8") from None
    return page


def newline_of(page: bytes) -> str:
    """The page's own line ending: CRLF when most of its lines end so."""
    crlf = page.count(b"\r\n")
    return "\r\n" if crlf and crlf * 2 >= page.count(b"\n") else "\n"


def diff(path: str, old: bytes, new: bytes) -> str:
    lines = difflib.unified_diff(old.decode("utf-8").splitlines(keepends=True),
                                 new.decode("utf-8").splitlines(keepends=True), f"{path} (now)", f"{path} (embedded)")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def replace_page(path: str, read: bytes, new: bytes) -> None:
    """Write ``new`` over the page atomically, keeping its mode, unless the page on disk
    is no longer what was ``read``."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(new)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        with open(path, "rb") as f:
            if f.read() != read:
                raise InputError(path, "changed on disk during the embed; nothing written (run it again)")
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise InputError(path, f"cannot write: {e.strerror or e}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
