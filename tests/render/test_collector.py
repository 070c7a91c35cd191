"""Cycles, Qt objects among them, are collected on the GUI thread and never on a worker."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from strapline.render.collector import GuiThreadCollector, install_gui_thread_collector


class _Holder:
    """A QTimer whose slot refers back to its owner: garbage only the cycle collector frees."""

    finalised_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.timeout.connect(self.tick)
        self.timer.start(60_000)  # registered with the GUI thread's event dispatcher
        self.me = self

    def tick(self) -> None:
        pass

    def __del__(self) -> None:
        _Holder.finalised_on.append(threading.current_thread().name)


@pytest.fixture
def collector() -> Iterator[GuiThreadCollector]:
    thresholds = gc.get_threshold()
    c = GuiThreadCollector(interval_ms=10)
    c.start()
    try:
        yield c
    finally:
        c.stop()
        gc.set_threshold(*thresholds)


def test_a_worker_that_allocates_never_collects(collector: GuiThreadCollector) -> None:
    assert not gc.isenabled()
    _Holder.finalised_on.clear()
    gc.set_threshold(1_000_000, 10, 10)  # nothing comes due on this thread before the worker
    _Holder()

    def allocate() -> None:
        gc.set_threshold(100, 10, 10)  # a collection comes due many times over below
        junk = []
        for i in range(50_000):
            node: list[object] = [i]
            node.append(node)  # cyclic garbage
            junk.append(node)
            if len(junk) > 100:
                junk.clear()

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert _Holder.finalised_on == []  # nothing was collected on the worker
    while collector.collect_due() >= 0:
        pass
    gc.collect()  # what is left over, as the next timer tick would, on this thread
    assert _Holder.finalised_on == [threading.current_thread().name]


def test_the_timer_collects_what_is_due(qtbot: QtBot, collector: GuiThreadCollector) -> None:
    gc.set_threshold(50, 10, 10)
    before = list(collector.collections)
    for i in range(500):
        node: list[object] = [i]
        node.append(node)
    qtbot.waitUntil(lambda: collector.collections[0] > before[0], timeout=2000)


def test_collect_due_follows_the_thresholds(collector: GuiThreadCollector) -> None:
    gc.collect()
    gc.set_threshold(0, 10, 10)  # 0: never, as for Python's own collector
    for i in range(1000):
        node: list[object] = [i]
        node.append(node)
    assert collector.collect_due() == -1
    gc.set_threshold(100, 10, 10)
    assert collector.collect_due() == 0
    assert collector.collect_due() == -1  # the counts start again


def test_stop_gives_collection_back() -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        c = GuiThreadCollector()
        c.start()
        assert not gc.isenabled() and c.active
        c.stop()
        assert gc.isenabled() and not c.active
    finally:
        if not was:
            gc.disable()


def test_install_makes_one_collector_for_the_process() -> None:
    a = install_gui_thread_collector()
    b = install_gui_thread_collector()
    assert a is b and a.active
    assert not gc.isenabled()


def test_only_on_the_gui_thread() -> None:
    errors: list[BaseException] = []

    def make() -> None:
        try:
            GuiThreadCollector()
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=make)
    t.start()
    t.join()
    assert len(errors) == 1 and "GUI thread" in str(errors[0])


def test_full_collections_are_held_back_by_time(collector: GuiThreadCollector) -> None:
    from strapline.render import collector as module

    now = [1000.0]
    collector.clock = lambda: now[0]
    collector._last_full = now[0]
    gc.set_threshold(10, 1, 1)

    class Node:
        def __init__(self) -> None:
            self.me = self  # cyclic garbage, counted by the collector (no free list)

    def make_everything_due() -> None:
        gc.collect(1)
        gc.collect(1)  # the oldest generation's count past its threshold
        gc.collect(0)
        gc.collect(0)  # the middle one's
        for _ in range(30):
            Node()  # and the youngest's
        assert gc.get_count()[0] > 10 and gc.get_count()[1] > 1 and gc.get_count()[2] > 1

    make_everything_due()
    assert collector.collect_due() == 1, "a full pass so soon after the last is held back"
    now[0] += module.FULL_EVERY_S
    make_everything_due()
    assert collector.collect_due() == 2
    make_everything_due()
    assert collector.collect_due() == 1
