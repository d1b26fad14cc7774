"""Drawing: a scene's shots into pixels and pixels into files, knowing nothing of where
they go or whether they are stale.

- ``palette``: the themes, light and dark, as colour roles;
- ``frames``: the pen a scene draws with (theme, scale, credit line), its figures and
  shots, and blitting, which redraws only what moves;
- ``writer``: a render's frames into its files, each at its density, all put in place
  together; ``encoders``: one encoder per format (PNG, SVG, GIF, MP4), found by name, and
  ``gif``, the GIF's own encoder: deterministic bytes;
- ``timing``: the 20 ms tick every delay is a whole number of.
"""
