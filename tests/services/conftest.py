"""Fixtures for the service tests."""

from __future__ import annotations

import pytest
from service_fakes import RecordingPlayout, make_competition

from strapline.domain.model import Competition


@pytest.fixture
def competition() -> Competition:
    return make_competition()


@pytest.fixture
def recorder() -> RecordingPlayout:
    return RecordingPlayout()
