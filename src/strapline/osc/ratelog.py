"""A limit on log lines per second, so a flood of bad packets cannot flood the log."""

from __future__ import annotations

import time


class LogLimiter:
    """`allow()` is True for at most `per_second` calls in any one-second window."""

    def __init__(self, per_second: int = 10) -> None:
        self.per_second = per_second
        self._window = 0.0
        self._count = 0
        self.suppressed = 0

    def allow(self) -> bool:
        now = time.monotonic()
        if now - self._window >= 1.0:
            self._window = now
            self._count = 0
        self._count += 1
        if self._count <= self.per_second:
            return True
        self.suppressed += 1
        return False
