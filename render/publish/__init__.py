"""The publishing wing: what the build's files are and where they are shown. It sits above
the scenes and below the command line; nothing in it draws.

- ``manifest``: output/manifest.json, every file's role, words, size and input hashes;
- ``summary``: the tutorial's result block, from the run;
- ``page``: output/index.html, the catalogue of every asset with the markup to copy;
- ``player.js``: the player the pages' animations run in;
- ``site``: writes the manifest, the player and the page, each only when it changes.
"""
