"""`make values`: every value a page can quote (<!-- gd:value NAME -->), with its meaning
and its value now (render/publish/values.py)."""
from __future__ import annotations

from render.pipeline.plan import Plan
from render.settings import Settings


def print_values(settings: Settings) -> int:
    plan = Plan(settings)  # every problem's runs; no output folder is read
    plan.warn()
    table = plan.values()
    width = max(map(len, table))
    for value in table.values():
        print(f"{value.name:<{width}}  {value.text:<10}  {value.meaning}")
    return 0
