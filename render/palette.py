"""Colours with a meaning, in one place, so each role looks the same in every asset."""

TEAMS = "#8a8f98"  # the scatter of teams: quiet, it is the backdrop
CLOSED_FORM = "#e07b00"  # the least-squares line it should land on
MINIMUM = "#e07b00"
TEXT = "#333333"
MUTED = "#777777"

START = "#222222"
#: Learning rates are coloured by their rank among the rates recorded in one build,
#: smallest first, so a rate has the same colour in every figure: with the tutorial's
#: three, 0.001 green, 0.1 blue, 1.5 red.
RATES = ("#2e8b57", "#1f6fb4", "#c0392b", "#7d5ba6", "#8c6d1f", "#d4589a")


def rate_colour(lr: float, rates) -> str:
    return RATES[sorted(rates).index(lr) % len(RATES)]
