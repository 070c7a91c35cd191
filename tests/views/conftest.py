"""Fixtures for the view tests: the service fakes, a test OSC receiver, an app controller."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from osc_receiver import OscReceiver
from service_fakes import RecordingPlayout

from strapline.app import qt_app


@pytest.fixture(autouse=True)
def _style() -> Iterator[None]:
    qt_app()  # the operator style, as the app has it
    yield


@pytest_asyncio.fixture(loop_scope="function")
async def receiver() -> AsyncIterator[OscReceiver]:
    rx = OscReceiver()
    await rx.start()
    yield rx
    rx.close()


@pytest.fixture
def recorder() -> RecordingPlayout:
    return RecordingPlayout()
