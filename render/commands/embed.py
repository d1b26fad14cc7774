"""`make embed PAGE=...`: fill a page's markers from this build (render/publish/embed.py),
once the build matches these settings: a page's numbers and pictures are of one build."""
from __future__ import annotations

import sys

from render.errors import InputError
from render.pipeline.plan import Plan
from render.publish import embed as filling
from render.publish import manifest
from render.settings import Settings


def filled(plan: Plan, document: dict, page: str, assets: str | None):
    """The page as read, as this build would fill it, and the markers that change."""
    read = filling.read_page(page)
    filler = filling.Filler(plan.values(), document, page, plan.out_dir, assets, filling.newline_of(read))
    new, changed = filling.fill(read, page, filler)
    return read, new, changed


def embed(settings: Settings) -> int:
    plan = Plan(settings)
    plan.warn()
    page = settings.page
    document = manifest.load(plan.out_dir)
    stale = plan.reasons(document)
    if stale:
        raise InputError(plan.out_dir, f"{len(stale)} file(s) do not match these settings (first: "
                                       f"{next(iter(sorted(stale)))}): run 'make all' with them first")
    read, new, changed = filled(plan, document, page, settings.assets)
    if settings.dry_run:
        sys.stdout.write(filling.diff(page, read, new))
        print(f"{page}: {len(changed)} marker(s) would change" if changed else f"{page}: up to date")
        return 0
    if new == read:
        print(f"{page}: up to date")
        return 0
    filling.replace_page(page, read, new)
    print(f"{page}: {len(changed)} marker(s) filled")
    return 0
