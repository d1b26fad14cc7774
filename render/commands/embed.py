"""`make embed PAGE=...` or `make embed SITE=...`: fill a page's markers (or every page a
site file names) from this build (render/publish/embed.py), once the build matches these
settings: a page's numbers and pictures are of one build.

With a site file (render/sites.py) the build is made here, into a folder of the
project's own (``build_folder``), each page addressed as the site serves it, and the
site's picture folder given exactly the files its pages use (render/publish/ship.py).
Nothing is written until every page has been filled in memory: a page edited by hand in a
filled marker, or any other problem, stops it with one line and every page untouched.
"""
from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
from dataclasses import dataclass, replace

from render import settings as table
from render import sites
from render.errors import InputError
from render.pipeline.plan import Plan
from render.publish import embed as filling
from render.publish import manifest, ship
from render.publish.html import PLAYER
from render.settings import ROOT, Settings


@dataclass(frozen=True)
class Target:
    """One page to fill: its path, the URL prefix of its pictures (None: the output
    folder, relative to the page), and its site's dark selector."""

    path: str
    assets: str | None
    dark: str | None = None
    light: str | None = None


@dataclass(frozen=True)
class Work:
    """What filling a page would do: the page as read, as filled, and the files it uses."""

    target: Target
    read: bytes
    filled: filling.Filled
    used: frozenset


def build_folder(site: sites.Site, built: Settings) -> str:
    """Where a site's whole build is kept: the site file's ``build``, else a folder of the
    project's (.make/, which git ignores), one a set of settings: sites that draw the
    same share it, and a site's files stay there between its runs."""
    if site.build:
        return site.build
    drawn = {name: getattr(built, name) for name in sites.SETTINGS}
    drawn["data"] = os.path.abspath(drawn["data"])
    key = hashlib.sha256(json.dumps(drawn, sort_keys=True, default=list).encode()).hexdigest()[:12]
    return os.path.join(ROOT, ".make", "sites", key)


def resolve(settings: Settings) -> tuple[sites.Site | None, Settings, list[Target]]:
    """The site file (if one is given), the settings of the build, and the pages."""
    if not settings.site:
        return None, settings, [Target(settings.page, settings.assets)]
    site = sites.load(settings.site)
    built = site.settings(settings)
    built = replace(built, out=build_folder(site, built))
    return site, built, [Target(page.file, site.assets_base(page), site.dark, site.light)
                            for page in site.pages]


def fill(plan: Plan, document: dict, target: Target) -> Work:
    """The page as read, as this build would fill it, and what it would use."""
    read = filling.read_page(target.path)
    # The files of these settings only (a site of THEMES=light embeds no dark picture,
    # though an earlier build left some in the folder and its manifest).
    wanted = {file for render in plan.renders for file in render.files}
    document = {**document, "assets": [entry for entry in document.get("assets", []) if entry["file"] in wanted]}
    filler = filling.Filler(plan.values(), document, target.path, plan.out_dir, target.assets,
                            filling.newline_of(read), dark=target.dark, light=target.light)
    done = filling.fill(read, target.path, filler, filling.is_markdown(target.path))
    return Work(target, read, done, frozenset(filler.used | {PLAYER}))


def command(settings: Settings, name: str) -> str:
    """The `make` command that runs target ``name`` with these settings: every one it
    takes that is not its default, so that running it as printed does what was asked."""
    runs = "build" if name == "all" else name
    parts = ["make", name]
    given = ()  # what the site file gives
    if settings.site:
        parts.append(f"SITE={settings.site}")
        given = ("out", "assets", "page", *sites.load(settings.site).values)
    for row in table.TABLE:
        value = getattr(settings, row.name)
        if (row.is_path or row.from_cwd) and value:  # as typed from anywhere
            value = os.path.abspath(value)
        if not row.make or runs not in row.commands or row.name in ("site", "dry_run", "force", "port"):
            continue
        if value == row.cli_default or value in (None, ()):
            continue
        if row.name in given:
            continue
        text = " ".join(map(str, value)) if isinstance(value, tuple) else f"{value:g}" if isinstance(value, float) \
            else str(value)
        parts.append(f"{row.make}={text}")
    return " ".join(shlex.quote(part) for part in parts)


def embed(settings: Settings) -> int:
    if not settings.page and not settings.site:
        raise InputError("embed", "give the page (--page PAGE) or the site file (--site SITE)")
    if settings.page and settings.site:
        raise InputError("embed", "give the page (--page) or the site file (--site), not both")
    site, built, targets = resolve(settings)
    if site is not None:  # the site's whole build, here: its settings are the site file's
        # Imported here: the build draws (matplotlib, the encoders), and `make check`,
        # which imports this module, must start without them.
        from render.pipeline import run

        status = run.build(built)
        if status:
            return status
    plan = Plan(built)
    if site is None:
        plan.warn()
    document = manifest.load(plan.out_dir)
    stale = plan.reasons(document)
    if stale:
        raise InputError(plan.out_dir, f"{len(stale)} file(s) do not match these settings (first: "
                                       f"{next(iter(sorted(stale)))}): run 'make all' with them first")
    works = [fill(plan, document, target) for target in targets]
    for work in works:  # nothing is written while any page has a marker edited by hand
        if work.filled.edited and not settings.force:
            marker = work.filled.edited[0]
            raise InputError(f"{work.target.path}, line {marker.line}",
                             f"gd:{marker.kind} {marker.name} was edited by hand since it was filled; keep your "
                             f"words outside the markers, or run '{command(settings, 'embed')} FORCE=1' to "
                             f"overwrite it")
    used = set().union(*(work.used for work in works))
    if settings.dry_run:
        for work in works:
            path, changed = work.target.path, work.filled.changed
            sys.stdout.write(filling.diff(path, work.read, work.filled.page))
            print(f"{path}: {len(changed)} marker(s) would change" if changed else f"{path}: up to date")
        if site is not None:
            for name, reason in ship.stale(plan.out_dir, site.out, used).items():
                print(f"{os.path.join(site.out, name)}: would be {'removed' if 'no page' in reason else 'copied'} "
                      f"({reason})")
        return 0
    if site is not None:
        copied = ship.place(plan.out_dir, site.out, used)
    for work in works:
        path = work.target.path
        if work.filled.page == work.read:
            print(f"{path}: up to date")
            continue
        filling.replace_page(path, work.read, work.filled.page)
        print(f"{path}: {len(work.filled.changed)} marker(s) filled")
    if site is not None:
        removed = ship.prune(site.out, used)
        print(f"{site.out}: {len(used)} file(s) the pages use; {len(copied)} copied, {len(removed)} removed")
    return 0
