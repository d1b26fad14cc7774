"""The build: decides what is stale and makes it, in one process.

- ``registry``: the scenes' registry as the build sees it (the one module of render/ that
  imports ``scenes``), and a render: a scene's still or animation in one theme and layout;
- ``plan``: the settings' runs recorded, every render's input hashes, and which files no
  longer match them, and why (what `make check` reports);
- ``render_one``: one render drawn into its files;
- ``run``: the build itself: one lock per output folder, the histories first, the stale
  renders shared among forked workers (``parallel``, with a ``progress`` line), then the
  publishing wing (render/publish) writes the manifest and the pages.
"""
