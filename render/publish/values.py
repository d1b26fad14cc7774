"""Every number and word a tutorial quotes from the run, by name: what `make values` lists
and `<!-- gd:value NAME -->` markers hold (render/publish/embed.py).

Each value is written with the digits the result block (`make summary`) uses, from the
same runs the build draws, so another season's CSV changes every one of them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from render.engine.descent import (classify, closed_form, condition_number, flat_from, gap_to_fit, landed_on_fit,
                                   landing_step)
from render.engine.history import pick
from render.engine.lesson import Lesson
from render.engine.problems import line, monotone_rate, raw_line, two_features
from render.numbers import condition, fixed, rate


#: The early moment a tutorial points at: how far a few steps already go.
EARLY_STEP = 5


@dataclass(frozen=True)
class Value:
    name: str
    meaning: str
    text: str
    step: int | None = None  # a step of the run: `<!-- gd:value NAME link -->` links to it (#gd-step-N)


def values(line_lesson: Lesson, scaling: Lesson | None = None, two: Lesson | None = None) -> dict[str, Value]:
    """Every named value of this build: the line's (always), the scaling comparison's and
    the two features' when their runs could be recorded."""
    found: list[Value] = []

    def add(name: str, meaning: str, text: str, step: int | None = None) -> None:
        found.append(Value(name, meaning, text, step))

    data, run, fit = line_lesson.data, line_lesson.run, line_lesson.fit
    steps = len(run.loss) - 1
    last = run.finite
    add("season", "the season, from the data's credit line (else the file's name)", season(data))
    add("teams", "how many teams the line is fitted to", str(data.n))
    add("lr", "the learning rate of the tutorial's run", rate(run.lr))
    add("steps", "the steps of descent run", str(steps))
    add("start_m", "the starting slope", fixed(run.slope[0]))
    add("start_b", "the starting intercept", fixed(run.b[0]))
    add("start_loss", "the loss at the start (mean squared error, z-scores)", f"{run.loss[0]:.4f}")
    add("final_loss", "the loss after the last step (the last finite one if the run overflowed)",
        fixed(last.loss[-1], 4))
    add("slope", "the slope descent learned", fixed(last.slope[-1]))
    add("intercept", "the intercept descent learned", fixed(last.b[-1]))
    add("closed_form_slope", "the least-squares slope (numpy.polyfit)", fixed(fit.m[0]))
    add("closed_form_intercept", "the least-squares intercept", fixed(fit.b))
    add("closed_form_loss", "the least loss any line reaches", fixed(fit.loss, 4))
    add("landed", "whether descent landed on the least-squares line ('yes' or 'no')",
        "yes" if landed_on_fit(run, fit) else "no")
    add("gap", "the largest difference between descent's line and the least-squares one", f"{gap_to_fit(run, fit):.1e}")
    add("verdict", "the run's verdict: healthy, crawling or exploding", classify(run))
    flat = flat_from(last.loss, fit.loss) if run.diverged_at is None else None
    add("flat_step", "the step from which the loss stays within 1 % of the drop above the minimum ('none' if never)",
        "none" if flat is None else str(flat), flat)
    landed_at = landing_step(last.slope)
    add("landing_step", "the step from which the slope stays within 0.01 of where it ends", str(landed_at), landed_at)
    early = min(EARLY_STEP, len(last.slope) - 1)
    add(f"slope_at_step_{EARLY_STEP}", f"the slope at step {EARLY_STEP} (or the last step before it)",
        fixed(last.slope[early]), early)
    add(f"loss_at_step_{EARLY_STEP}", f"the loss at step {EARLY_STEP} (or the last step before it)",
        fixed(last.loss[early], 4), early)
    per_run = line_lesson.wins_per_run(fit.m[0])
    add("wins_per_run", "the least-squares slope in real units: wins per run of differential", f"{per_run:.4f}")
    add("runs_per_win", "runs of differential per win", f"{1 / per_run:.1f}")
    add("wins_sd", "one z-score of wins, in wins (their standard deviation)", f"{line_lesson.wins_per_z:.2f}")
    add("run_diff_sd", "one z-score of run differential, in runs", f"{line_lesson.runs_per_z:.2f}")
    for i, history in enumerate(sorted(line_lesson.histories, key=lambda h: h.lr), 1):
        add(f"rate{i}", f"the {ordinal(i)}learning rate compared, by size", rate(history.lr))
        add(f"rate{i}_verdict", "its verdict: healthy, crawling or exploding", classify(history))
        add(f"rate{i}_final_loss", "its last finite loss", fixed(history.finite.loss[-1], 4))
        add(f"rate{i}_diverged_at", "the step its loss overflowed at ('none' if it did not)",
            "none" if history.diverged_at is None else str(history.diverged_at))
    if scaling is not None:
        xz, _ = line(data)
        xr, _ = raw_line(data)
        for key, x, words in (("z", xz, "z-scores"), ("raw", xr, "raw runs and wins")):
            add(f"condition_{key}", f"the loss bowl's condition number in {words}", condition(condition_number(x)))
            add(f"scaling_lr_{key}", f"the largest rate that never overshoots, in {words}",
                f"{monotone_rate(x):.3g}")
    if two is not None:
        X, y = two_features(data)
        fit2 = closed_form(X, y)
        run2 = pick(list(two.histories), two.lr).finite
        add("w_scored", "two features: the weight descent learned for runs scored (z)", fixed(run2.m[-1][0]))
        add("w_allowed", "two features: the weight descent learned for runs allowed (z)", fixed(run2.m[-1][1]))
        add("closed_form_w_scored", "two features: the least-squares weight of runs scored", fixed(fit2.m[0]))
        add("closed_form_w_allowed", "two features: the least-squares weight of runs allowed", fixed(fit2.m[1]))
        add("two_features_loss", "two features: the least loss", fixed(fit2.loss, 4))
    return {v.name: v for v in found}


def season(data) -> str:
    """The season's year from the credit line ("2023 MLB ..."), else the data file's stem."""
    found = re.search(r"\b(1[89]\d\d|20\d\d)\b", data.credit)
    if found:
        return found.group(1)
    return os.path.splitext(os.path.basename(data.source))[0]


def ordinal(i: int) -> str:
    """'smallest ', 'second smallest ', ...: the rates in the order of their colours."""
    return "smallest " if i == 1 else f"{ {2: 'second', 3: 'third'}.get(i, f'{i}th')} smallest "


