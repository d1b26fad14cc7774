"""`make check`: exit status 1, naming them, when assets (of the selected themes; all if
none), or the markers of a page, no longer match this build; else 0. It hashes, and
renders nothing."""
from __future__ import annotations

import os
import sys

from render.commands.embed import filled
from render.errors import InputError
from render.pipeline.plan import Plan
from render.publish import manifest
from render.publish.html import PLAYER
from render.publish.site import player_stale
from render.settings import Settings


def check(settings: Settings) -> int:
    plan = Plan(settings)
    status = assets(plan)
    return max(status, page(plan, settings.page, settings.assets)) if settings.page else status


def assets(plan: Plan) -> int:
    """The assets' half: every file and the player's script."""
    if not os.path.exists(os.path.join(plan.out_dir, manifest.MANIFEST)):
        raise InputError(os.path.join(plan.out_dir, manifest.MANIFEST), "no manifest: run 'make all' first")
    reasons = plan.reasons(manifest.load(plan.out_dir))
    # The player's script is no drawing: it is current when it is the project's own.
    checked = list(plan.current()) + [PLAYER]
    player = player_stale(plan.out_dir)
    if player:
        reasons[PLAYER] = player
    return report([f"stale: {file}: {reasons[file]}" for file in checked if file in reasons],
                  f"{len(reasons)} of {len(checked)} files are stale: run 'make all'",
                  f"all {len(checked)} files match their data, code and settings")


def page(plan: Plan, path: str, assets_url: str | None) -> int:
    """The page half: exit status 1, naming the page and each marker's line, when what the
    page holds is not what this build would embed."""
    _, _, changed = filled(plan, manifest.load(plan.out_dir), path, assets_url)
    return report([f"stale: {path}, line {m.line}: gd:{m.kind} {m.name} does not match the build" for m, _ in changed],
                  f"{len(changed)} marker(s) in {path} are stale: run 'make embed PAGE={path}'",
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
