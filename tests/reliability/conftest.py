"""Fixtures of the reliability suite (helpers are in reliability_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from reliability_helpers import RendererProcess

from strapline.domain.model import Competition


@pytest.fixture
def renderer_process() -> Iterator[Callable[[int], RendererProcess]]:
    started: list[RendererProcess] = []

    def make(port: int) -> RendererProcess:
        r = RendererProcess(port)
        r.start()
        started.append(r)
        return r

    yield make
    for r in started:
        r.kill()
        if r.proc is not None and r.proc.stderr is not None:
            r.proc.stderr.close()


@pytest.fixture(scope="session")
def demo_competition() -> Competition:
    from strapline.io.demo import load_demo

    return load_demo()
