"""The publishing wing: what the build's files are and where they are shown. It reads the
manifest, never a scene (the build writes what a scene says into the manifest); nothing in
it draws.

- ``manifest``: output/manifest.json, every file's form, words, size and input hashes;
- ``summary``: the tutorial's result block, from the run;
- ``values``: every number and word a page can quote, by name;
- ``html``: a scene's still or animation as HTML, from templates/figures.html's macros,
  for every page;
- ``page``: output/index.html, the catalogue of every asset with the markup to copy;
- ``tutorial``: output/tutorial.html, from tutorial/tutorial.md;
- ``embed``: a maintainer's page, its markers filled and every other byte kept;
- ``site``: writes the manifest, the player and the pages, each only when it changes;
- ``templates/``: the pages, their stylesheet and the figures' macros (Jinja2);
- ``static/``: ``player.js``, the player the pages' animations run in, and ``copy.js``,
  the catalogue's copy buttons.
"""
