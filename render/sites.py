"""A maintainer's site file: one TOML file that says how their site is built, so that
`make embed SITE=FILE`, `make check SITE=FILE` and `make serve SITE=FILE` work on every
page it names, each with its own address:

    out = "docs/assets/gd"             # the site's folder for the pictures, from this file
    url = "/assets/gd/"                # where the site serves that folder
    data = "data/standings_2024.csv"   # optional, from this file; likewise lr, steps, ...
    dark = '[data-md-color-scheme="slate"]'   # optional: true when the site shows dark
    light = 'body[data-theme="light"]'        # optional: true when it shows light, if it
                                              # can also follow the system (Furo's "auto")

    [[pages]]
    file = "docs/index.md"             # from this file
    url = "/"                          # where the site serves it

Paths resolve from the site file's folder; a page's URLs to its pictures follow from its
``url`` and the folder's (``assets_base``), so directory URLs, `html_static_path` and
`html_extra_path` all come out right. Anything wrong is one InputError naming the file
and the key (and the line, where TOML gives it), before anything is written.

It imports nothing but the standard library and the settings table.
"""
from __future__ import annotations

import os
import posixpath
import re
import tomllib
from dataclasses import dataclass, replace

from render import settings
from render.errors import InputError, read_input

#: The settings a site file may give, by their names in the settings table.
SETTINGS = ("data", "lr", "steps", "m0", "b0", "rates", "themes", "layouts", "formats")
KEYS = {"out", "url", "dark", "light", "pages", "build"} | set(SETTINGS)
PAGE_KEYS = {"file", "url"}


@dataclass(frozen=True)
class Page:
    file: str  # absolute
    url: str  # where the site serves it: "/", "/rates/", "/rates.html"
    name: str  # as the site file names it, for messages


@dataclass(frozen=True)
class Site:
    path: str  # the site file, absolute
    out: str  # the site's folder for the pictures, absolute
    url: str  # where the site serves it, ending in "/"
    dark: str | None  # a CSS selector true when the site shows dark (of <html> or <body>)
    light: str | None  # and one true when it shows light, if it can also follow the system
    pages: tuple[Page, ...]
    values: dict  # the settings it gives, by name, as the settings table reads them
    build: str | None  # where the whole build is kept (absolute), if the file says

    def settings(self, base: settings.Settings) -> settings.Settings:
        """``base`` with what the site file gives."""
        return replace(base, **self.values)

    def assets_base(self, page: Page) -> str:
        """The URL prefix, from ``page``, of the site's picture folder: relative when both
        are on the site's own paths ("assets/gd/", "../assets/gd/"), else the folder's."""
        if not self.url.startswith("/") or not page.url.startswith("/"):
            return self.url
        here = page.url if page.url.endswith("/") else posixpath.dirname(page.url) + "/"
        relative = posixpath.relpath(self.url, here)
        return "" if relative == "." else relative.rstrip("/") + "/"


def _line(text: str, key: str) -> int | None:
    """The line a top-level key (or a page's) is written on, for messages."""
    found = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _error(path: str, key: str, message: str, text: str = "", line: int | None = None) -> InputError:
    line = line or (_line(text, key.split(".")[-1]) if text else None)
    return InputError(path + (f", line {line}" if line else ""), f"{key}: {message}")


def load(path: str) -> Site:
    """The site file at ``path`` (from where the command was typed), checked."""
    path = os.path.abspath(path)
    raw = read_input(path, "site file")
    try:
        text = raw.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        where = f", line {found[1]}" if found else ""
        raise InputError(path + where, f"not TOML: {re.sub(r' [(]at line.*', '', str(e))}") from None
    folder = os.path.dirname(path)
    for key in document:
        if key not in KEYS:
            raise _error(path, key, f"unknown key (keys: {', '.join(sorted(KEYS))})", text)

    def string(key: str, value, where: str | None = None) -> str:
        if not isinstance(value, str) or not value:
            raise _error(path, where or key, f"must be a string, not {type(value).__name__} {value!r}", text)
        return value

    for key in ("out", "url"):
        if key not in document:
            raise InputError(path, f"{key}: missing (the folder the pictures go to, and where the site serves it)")
    out = os.path.normpath(os.path.join(folder, string("out", document["out"])))
    url = string("url", document["url"])
    url = url if url.endswith("/") else url + "/"
    dark = string("dark", document["dark"]) if "dark" in document else None
    light = string("light", document["light"]) if "light" in document else None
    if light and not dark:
        raise _error(path, "light", "give dark too: light only says when the site does not follow the system", text)
    build = os.path.normpath(os.path.join(folder, string("build", document["build"]))) if "build" in document else None
    values = {}
    for key in SETTINGS:
        if key in document:
            values[key] = _setting(path, key, document[key], text, folder)
    pages = document.get("pages")
    if not isinstance(pages, list) or not pages or not all(isinstance(p, dict) for p in pages):
        raise _error(path, "pages", "give each page as a [[pages]] table with its file and url", text)
    found, seen = [], {}
    for i, entry in enumerate(pages, 1):
        for key in entry:
            if key not in PAGE_KEYS:
                raise _error(path, f"pages[{i}].{key}", f"unknown key (a page has {', '.join(sorted(PAGE_KEYS))})",
                             text)
        for key in PAGE_KEYS:
            if key not in entry:
                raise _error(path, f"pages[{i}].{key}", "missing", text, _page_line(text, i))
            string(key, entry[key], f"pages[{i}].{key}")
        file = os.path.normpath(os.path.join(folder, entry["file"]))
        line = _page_line(text, i)
        if not os.path.isfile(file):
            raise _error(path, f"pages[{i}].file", f"no such page: {entry['file']}", text, line)
        if file in seen:
            raise _error(path, f"pages[{i}].file", f"{entry['file']} is listed twice (as page {seen[file]} too)",
                         text, line)
        seen[file] = i
        found.append(Page(file, entry["url"], entry["file"]))
    _writable(path, out, text)
    return Site(path, out, url, dark, light, tuple(found), values, build)


def _page_line(text: str, index: int) -> int | None:
    """The line of the ``index``-th [[pages]] table."""
    found = [m.start() for m in re.finditer(r"^\s*\[\[pages\]\]", text, re.M)]
    return text.count("\n", 0, found[index - 1]) + 1 if len(found) >= index else None


def _setting(path: str, key: str, value, text: str, folder: str):
    """A setting as the site file gives it, checked by its row of the settings table."""
    row = settings.row(key)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    elif isinstance(value, (bool, dict)):
        raise _error(path, key, f"must be a {'list or ' if isinstance(row.default, tuple) else ''}value, "
                                f"not {type(value).__name__}", text)
    try:
        parsed = row.parse(str(value))
    except Exception as e:  # the table's checks speak argparse's words
        raise _error(path, key, str(e), text) from None
    return os.path.normpath(os.path.join(folder, parsed)) if key == "data" else parsed


def _writable(path: str, out: str, text: str) -> None:
    """The picture folder must be a folder we can write in (it may not exist yet)."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise _error(path, "out", f"{out} is a file, not a folder", text)
    existing = out
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing) or not os.access(existing, os.W_OK):
        raise _error(path, "out", f"{existing} is not writable", text)
