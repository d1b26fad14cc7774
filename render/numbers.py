"""How numbers are written on figures and in the summary, so they read the same everywhere."""
import math


def fixed(value: float, places: int = 3) -> str:
    """``0.944``; huge or tiny values in scientific form; never ``-0.000``."""
    if not math.isfinite(value):
        return "inf" if value > 0 else "-inf" if value < 0 else "nan"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 0.5 * 10**-places and places >= 6):
        return f"{value:.2e}"
    text = f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def rate(lr: float) -> str:
    """A learning rate as the tutorial writes it: 0.001, 0.1, 1.5."""
    return f"{lr:g}"


def condition(kappa: float) -> str:
    """A loss bowl's condition number: 1.03 when it is near round, 18,920 when it is not."""
    return f"{kappa:,.0f}" if kappa >= 100 else f"{kappa:.2f}"
