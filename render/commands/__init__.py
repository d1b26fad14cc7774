"""The commands that answer from a build's plan without building: each takes the settings,
makes the plan (render/pipeline/plan.py) and reports.

- ``check``: `make check`: exit 1, naming them, when assets or a page's markers no longer
  match the build;
- ``embed``: `make embed`: fill a page's markers from the build;
- ``summary``: `make summary`: the tutorial's result block;
- ``values``: `make values`: every value a page can quote.
"""
