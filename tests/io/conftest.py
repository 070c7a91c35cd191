"""The importer tests run with every check the models have."""

from __future__ import annotations

import pytest

from strapline.io import table


@pytest.fixture(autouse=True)
def _row_keys_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table importer skips the models' check for unknown keys on the rows it builds (its
    keys are the models' fields); here every import also proves that they are."""
    monkeypatch.setattr(table, "_UNKNOWN_KEYS", "forbid")
