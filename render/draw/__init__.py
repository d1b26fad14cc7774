"""Drawing: a scene's shots into pixels and pixels into files, knowing nothing of where
they go or whether they are stale.

- ``palette``: the themes, light and dark, as colour roles;
- ``frames``: the pen a scene draws with (theme, scale, credit line), its figures and
  shots, and blitting, which redraws only what moves;
- ``writer`` and ``gif``: frames into PNG, SVG, GIF and MP4, deterministic, atomic;
- ``timing``: the 20 ms tick every delay is a whole number of.
"""
