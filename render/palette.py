"""Colours with a meaning, in one place, so each role looks the same in every asset."""

TEAMS = "#8a8f98"  # the scatter of teams: quiet, it is the backdrop
LEARNED = "#1f6fb4"  # the line gradient descent learned
CLOSED_FORM = "#e07b00"  # the least-squares line it should land on
LOSS = "#1f6fb4"
MINIMUM = "#e07b00"
TEXT = "#333333"
MUTED = "#777777"

#: Learning rates are coloured by their rank among the rates drawn together, smallest
#: first, so a rate keeps its colour in every figure of one build.
RATES = ("#2e8b57", "#1f6fb4", "#c0392b", "#7d5ba6", "#e07b00")


def rate_colour(lr: float, rates) -> str:
    return RATES[sorted(rates).index(lr) % len(RATES)]
