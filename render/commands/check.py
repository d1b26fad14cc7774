"""`make check`: exit status 1, naming them, when assets (of the selected themes; all if
none), the markers of a page (PAGE=) or of every page of a site (SITE=), or a site's
picture folder, no longer match this build; else 0. It hashes, and renders nothing.

Each thing named says why (stale, edited by hand, missing, no page uses it), and the last
line is the exact `make` command that fixes it, every setting given included: run as
printed, it does what the check asked for.
"""
from __future__ import annotations

import os
import sys

from render.commands.embed import command, fill, resolve
from render.errors import InputError
from render.pipeline.plan import Plan
from render.publish import manifest, ship
from render.publish.html import PLAYER
from render.publish.site import player_stale
from render.settings import Settings


def check(settings: Settings) -> int:
    site, built, targets = resolve(settings)
    plan = Plan(built)
    fix = command(settings, "embed") if site or settings.page else command(settings, "all")  # embed builds first
    if site is not None and not os.path.exists(os.path.join(plan.out_dir, manifest.MANIFEST)):
        raise InputError(site.path, f"this site has not been built yet: run '{fix}'")
    status = assets(plan, fix)
    if not settings.page and site is None:
        return status
    document = manifest.load(plan.out_dir)
    try:
        works = [fill(plan, document, target) for target in targets]
    except InputError:
        if status:  # a build of other settings may lack a scene the page names: build first
            return status
        raise
    status = max([status] + [page(work, fix) for work in works])  # fix: the embed command here
    if site is not None:
        used = set().union(*(work.used for work in works))
        reasons = ship.stale(plan.out_dir, site.out, used)
        status = max(status, report([f"stale: {os.path.join(site.out, name)}: {why}"
                                     for name, why in reasons.items()],
                                    f"{len(reasons)} file(s) in {site.out} do not match the pages: run '{fix}'",
                                    f"{site.out} holds the {len(used)} file(s) the pages use"))
    return status


def assets(plan: Plan, fix: str) -> int:
    """The assets' half: every file and the player's script."""
    if not os.path.exists(os.path.join(plan.out_dir, manifest.MANIFEST)):
        raise InputError(os.path.join(plan.out_dir, manifest.MANIFEST), f"no manifest: run '{fix}' first")
    reasons = plan.reasons(manifest.load(plan.out_dir))
    # The player's script is no drawing: it is current when it is the project's own.
    checked = list(plan.current()) + [PLAYER]
    player = player_stale(plan.out_dir)
    if player:
        reasons[PLAYER] = player
    return report([f"stale: {file}: {reasons[file]}" for file in checked if file in reasons],
                  f"{len(reasons)} of {len(checked)} files are stale: run '{fix}'",
                  f"all {len(checked)} files match their data, code and settings")


def page(work, fix: str) -> int:
    """A page's half: exit status 1, naming the page and each marker's line, when what the
    page holds is not what this build would embed, or was edited by hand since."""
    path, filled = work.target.path, work.filled
    edited = {marker.start for marker in filled.edited}
    lines = [f"edited by hand: {path}, line {m.line}: gd:{m.kind} {m.name} (make embed will refuse to overwrite it; "
             f"FORCE=1 does)" for m in filled.edited]
    lines += [f"stale: {path}, line {m.line}: gd:{m.kind} {m.name} does not match the build"
              for m, _ in filled.changed if m.start not in edited]
    todo = (f"move your words in them outside the markers, then run '{fix} FORCE=1'" if filled.edited
            else f"run '{fix}'")
    return report(lines, f"{len(lines)} marker(s) in {path} do not match the build: {todo}",
                  f"all markers in {path} match the build")


def report(stale: list[str], what_to_do: str, current: str) -> int:
    """The answer: each stale thing on stdout and what to do on stderr (exit status 1), or
    one line saying all is current (0)."""
    for line in stale:
        print(line)
    if stale:
        print(what_to_do, file=sys.stderr)
        return 1
    print(current)
    return 0
