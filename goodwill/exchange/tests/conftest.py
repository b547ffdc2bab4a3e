"""Fixtures of the exchange tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """A data folder of the test's own, so uploads and their purge see only this test's files."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR  # type: ignore[no-any-return]


@pytest.fixture
def defer_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large import's thresholds made small: it defers its indexes after 20 new people when
    at least 30 rows are still to come."""
    from goodwill.exchange.importer import deferred

    monkeypatch.setattr(deferred, "MIN_CREATED", 20)
    monkeypatch.setattr(deferred, "MIN_LEFT", 30)
