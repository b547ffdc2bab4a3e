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
