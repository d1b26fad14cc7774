"""`make summary`: the tutorial's result block, from the run at the tutorial's rate."""
from __future__ import annotations

from dataclasses import replace

from render.pipeline.plan import Plan
from render.publish.summary import summary
from render.settings import Settings


def print_summary(settings: Settings) -> int:
    # The result block records lr alone: other rates would change nothing in it.
    plan = Plan(replace(settings, rates=()), renders=False)
    plan.warn()
    print(summary(plan.lesson("line")))
    return 0
