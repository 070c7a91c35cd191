"""Python's cycle collector, run on the GUI thread only.

Python collects reference cycles in whichever thread happens to allocate when a collection
comes due: in Strapline that is as often a render, preview, thumbnail or import thread as the
GUI thread. A Qt object caught in a cycle (a QTimer held by an object that its own slot refers
to, an asyncio loop's timers) is then destroyed on a thread it does not belong to: Qt cannot
unregister its timers or socket notifiers there ("Timers cannot be stopped from another
thread"), and the next time one of them fires, the process dies. On air that is a crash.

`GuiThreadCollector` switches Python's automatic collection off and runs the same collections
from a timer on the GUI thread instead: every `interval_ms` it looks at the collector's counts
and collects the generations that are due by the collector's own thresholds. The app and the
renderer install one for the whole process with `install_gui_thread_collector()`.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

#: How often the counts are looked at: often enough that garbage never piles up for long, and
#: the look itself costs well under a microsecond.
INTERVAL_MS = 200
#: Fewest seconds between two full collections. A full pass walks every object the process
#: keeps (an imported results file is a hundred thousand of them): Python itself holds it back
#: until the long-lived objects have grown by a quarter, a figure it does not publish, so here
#: it is held back by time; the younger generations are collected meanwhile.
FULL_EVERY_S = 30.0


class GuiThreadCollector(QObject):
    """Collects cycles on the thread it was made on (the GUI thread), never elsewhere."""

    def __init__(self, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("the collector belongs on the GUI thread, after the application")
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled: bool | None = None
        self.collections = [0, 0, 0]  # per generation, for tests and diagnostics
        self.clock = time.monotonic
        self._last_full = self.clock()

    @property
    def active(self) -> bool:
        return self._was_enabled is not None

    def start(self) -> None:
        """Switch automatic collection off; collect from the timer from now on."""
        if self._was_enabled is None:
            self._was_enabled = gc.isenabled()
            gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Hand collection back to Python as it was before `start`."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
        self._was_enabled = None

    def collect_due(self) -> int:
        """Collect the oldest generation that is due; returns it, or -1 when none is.

        The thresholds are read each time, so an import that raises them for its duration
        (strapline.io.loader) is respected here too. A threshold of 0 means never. A full
        collection comes at most every FULL_EVERY_S seconds.
        """
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for gen in range(3):
            if thresholds[gen] and counts[gen] > thresholds[gen]:
                generation = gen
            else:
                break
        if generation == 2:
            now = self.clock()
            if now - self._last_full < FULL_EVERY_S:
                generation = 1
            else:
                self._last_full = now
        if generation >= 0:
            gc.collect(generation)
            self.collections[generation] += 1
        return generation


_installed: GuiThreadCollector | None = None


def install_gui_thread_collector(interval_ms: int = INTERVAL_MS) -> GuiThreadCollector:
    """The process's one collector, started (made on first call, on the GUI thread)."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(interval_ms)
    _installed.start()
    return _installed
