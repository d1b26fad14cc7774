"""A progress line for builds that take more than a second, on an interactive terminal only.

Silent when stderr is not a terminal (make's output piped to a file, tests) and in CI, so
logs hold only what matters. No dependency: one line rewritten with a carriage return.
"""
from __future__ import annotations

import os
import sys
import time


class Progress:
    def __init__(self, label: str, stream=None, after_s: float = 1.0):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and not os.environ.get("CI")
        self.label, self.after_s = label, after_s
        self.started = time.monotonic()
        self.shown = False

    def update(self, done: int, what: str = "frames drawn") -> None:
        if self.enabled and time.monotonic() - self.started >= self.after_s:
            self.stream.write(f"\r{self.label}: {done} {what}\x1b[K")
            self.stream.flush()
            self.shown = True

    def say(self, line: str, stream=None) -> None:
        """A line of output (a file made, an error), printed above the progress line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        stream = stream or sys.stdout
        stream.write(line + "\n")
        stream.flush()

    def close(self) -> None:
        if self.shown:
            seconds = time.monotonic() - self.started
            self.stream.write(f"\r{self.label}: done in {seconds:.1f} s\x1b[K\n")
            self.stream.flush()
