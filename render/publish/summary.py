"""The tutorial's result block, written from one descent run and the closed-form fit."""
from __future__ import annotations

from render.engine.descent import classify, gap_to_fit, landed_on_fit
from render.engine.lesson import Lesson
from render.numbers import fixed


def summary(lesson: Lesson) -> str:
    run, fit = lesson.run, lesson.fit
    steps = len(run.loss) - 1
    lines = [f"Start loss: {run.loss[0]:.4f}"]
    if run.diverged_at is not None:
        last = run.finite
        lines.append(f"Diverged at step {run.diverged_at}: the loss overflowed "
                     f"(last finite loss {fixed(last.loss[-1], 4)} at step {len(last.loss) - 1})")
        m, b = last.slope[-1], last.b[-1]
    else:
        lines.append(f"After {steps} steps: {fixed(run.loss[-1], 4)}")
        m, b = run.slope[-1], run.b[-1]
    lines.append(f"Learned slope m = {fixed(m)}, intercept b = {fixed(b)}")
    lines.append(f"Closed-form (numpy.polyfit): slope {fixed(fit.m[0])}, intercept {fixed(fit.b)}")
    landed = landed_on_fit(run, fit)
    if landed:
        lines.append(f"Descent landed on the closed-form line (largest difference {gap_to_fit(run, fit):.1e}).")
    else:
        lines.append(f"Descent did not land on the closed-form line: the run is {classify(run)} "
                     f"(slope off by {fixed(abs(m - fit.m[0]))}).")
    # The closed-form slope: equal to the learned one when descent landed, and the
    # meaningful one when it did not.
    per_run = lesson.wins_per_run(fit.m[0])
    whose = "The slope" if landed else "The closed-form slope"
    lines.append(f"{whose} in real units: {per_run:.4f} wins per run of differential, "
                 f"or {1 / per_run:.1f} runs per win.")
    return "\n".join(lines)
