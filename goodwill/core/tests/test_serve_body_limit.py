"""``goodwill serve`` lets an upload up to ``GOODWILL_IMPORT_MAX_MB`` (2048 by default) through to
the app, whose own check refuses a larger file naming it: waitress alone would answer 413 to
anything over 1 GiB."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from goodwill.core.management.commands import serve

MIB = 1024 * 1024


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """What waitress.serve was called with; nothing is served."""
    import waitress  # type: ignore[import-untyped]

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(serve, "pending_migrations", lambda: 0)
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        yield calls
    finally:
        signal.signal(signal.SIGTERM, sigterm)


class _OneRound:
    """Runs each web process's job once, here, instead of forking."""

    def __init__(self, jobs: dict[str, Callable[[], None]], say: object) -> None:
        self.jobs = jobs

    def run(self) -> int:
        for name, job in self.jobs.items():
            if name.startswith("web"):
                job()
        return 0


def test_an_upload_of_up_to_the_default_import_limit_reaches_the_app(
    served: list[dict[str, Any]],
) -> None:
    call_command("serve", "--port", "0", "--no-worker", stdout=StringIO())
    assert [c["max_request_body_size"] for c in served] == [2048 * MIB + 4 * MIB]
    assert served[0]["max_request_body_size"] > 2 * 1024 * MIB  # a 2 GiB file and its envelope


@override_settings(IMPORT_MAX_MB=3000)
def test_the_body_limit_follows_the_import_limit(served: list[dict[str, Any]]) -> None:
    call_command("serve", "--port", "0", "--no-worker", stdout=StringIO())
    assert [c["max_request_body_size"] for c in served] == [3000 * MIB + 4 * MIB]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="--processes needs fork")
def test_every_web_process_lets_the_import_limit_decide(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "Supervisor", _OneRound)
    call_command(
        "serve",
        "--port",
        "0",
        "--processes",
        "2",
        "--no-worker",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert [c["max_request_body_size"] for c in served] == [2052 * MIB, 2052 * MIB]
