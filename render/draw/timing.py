"""The frame tick: every delay in every animation is a whole number of TICK_MS.

GIF stores delays in hundredths of a second and browsers slow anything under 20 ms down
to 100 ms; a video shows each frame for whole frames of its rate. 20 ms serves both: a
GIF delay of 2, 4, ... hundredths, and a 50 fps video.
"""
TICK_MS = 20
VIDEO_FPS = 1000 // TICK_MS


def in_ticks(ms: float) -> int:
    """``ms`` rounded to a whole number of ticks, at least one."""
    return max(1, round(ms / TICK_MS)) * TICK_MS
