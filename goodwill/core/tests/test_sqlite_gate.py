"""The SQLite write gate (goodwill.core.sqlite): writers of one process queue for it, it is given
back however a transaction ends, and another process's lock is waited for, up to the timeout."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError, connections, transaction

from goodwill.core.sqlite.base import GATE

pytestmark = pytest.mark.sqlite_only
ALIAS = "gate_test"


@pytest.fixture
def gated(tmp_path: Path, django_db_blocker: object) -> Iterator[Path]:
    """A second database alias on a SQLite file of its own, with goodwill's backend and a
    1-second timeout; yields the file's path."""
    path = tmp_path / "gate.sqlite3"
    base = connections.settings["default"]
    if base["ENGINE"] != "goodwill.core.sqlite":
        pytest.skip("the gate belongs to the SQLite backend")
    options = base["OPTIONS"] | {"timeout": 1}
    connections.settings[ALIAS] = base | {"NAME": str(path), "OPTIONS": options, "TEST": {}}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, who TEXT)")
        try:
            yield path
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]


def _write(who: str, pause: float = 0.0) -> None:
    with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
        cursor.execute("INSERT INTO answers (who) VALUES (%s)", [who])
        time.sleep(pause)


def _rows(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [who for (who,) in raw.execute("SELECT who FROM answers ORDER BY id")]


def _in_thread(work: object) -> list[BaseException]:
    """Run ``work`` in a new thread (its own connection) and return what it raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()  # type: ignore[operator]
        except BaseException as exc:  # noqa: BLE001 (handed back to the test)
            raised.append(exc)
        finally:
            connections[ALIAS].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return raised


def test_many_threads_writing_at_once_all_land(gated: Path) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        for i in range(15):
            errors.extend(_in_thread(lambda n=n, i=i: _write(f"{n}-{i}", pause=0.001)))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(_rows(gated)) == sorted(f"{n}-{i}" for n in range(6) for i in range(15))


def test_a_failed_transaction_gives_the_gate_back(gated: Path) -> None:
    def fails() -> None:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO answers (who) VALUES ('rolled back')")
            raise ValueError("boom")

    raised = _in_thread(fails)

    assert [type(e) for e in raised] == [ValueError]
    assert _in_thread(lambda: _write("next")) == []  # a kept gate would time out here
    assert _rows(gated) == ["next"]


def test_a_connection_closed_inside_a_transaction_gives_the_gate_back(gated: Path) -> None:
    def closes() -> None:
        connection = connections[ALIAS]
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        connection.cursor().execute("INSERT INTO answers (who) VALUES ('lost')")
        connection.close()

    assert _in_thread(closes) == []
    assert _in_thread(lambda: _write("after close")) == []
    assert _rows(gated) == ["after close"]
    assert GATE.acquire(timeout=0.1)
    GATE.release()


def test_another_process_lock_is_waited_for_then_the_write_lands(gated: Path) -> None:
    other = sqlite3.connect(gated, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO answers (who) VALUES ('other process')")
    timer = threading.Timer(0.3, other.execute, args=("COMMIT",))
    timer.start()

    raised = _in_thread(lambda: _write("waited"))

    timer.join()
    other.close()
    assert raised == []
    assert _rows(gated) == ["other process", "waited"]


def test_a_lock_held_past_the_timeout_fails_as_a_locked_database(gated: Path) -> None:
    other = sqlite3.connect(gated, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        raised = _in_thread(lambda: _write("refused"))
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert [type(e) for e in raised] == [OperationalError]
    assert "database is locked" in str(raised[0])
    assert _rows(gated) == []
    assert _in_thread(lambda: _write("later")) == []  # the refused writer gave the gate back
