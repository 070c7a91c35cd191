"""A small synchronous signal, so services can tell views what changed without importing Qt."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")
log = logging.getLogger(__name__)


class Signal(Generic[P]):
    """Callbacks called in connection order; one failing callback never stops the others."""

    def __init__(self) -> None:
        self._slots: list[Callable[P, object]] = []

    def connect(self, slot: Callable[P, object]) -> None:
        if slot not in self._slots:
            self._slots.append(slot)

    def disconnect(self, slot: Callable[P, object]) -> None:
        if slot in self._slots:
            self._slots.remove(slot)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for slot in list(self._slots):
            try:
                slot(*args, **kwargs)
            except Exception:  # a broken view must not stop playout
                log.exception("signal handler %r failed", slot)
