"""A run started by ``goodwill import`` (not queued) holds a lease: killed mid-run, its batch
ends "failed" once the lease runs out (when a worker looks for work, or the next run starts),
instead of "running" for ever; stopped by an unexpected error, it ends "failed" at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.exchange import jobs
from goodwill.exchange.importer import import_run
from goodwill.exchange.importer import run as run_module
from goodwill.exchange.importer.lease import LEASE
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.pos import pos_import_run
from goodwill.exchange.tests import pos_world

pytestmark = pytest.mark.django_db
CSV = "First Name,Email\nAnn,ann@example.com\nBob,bob@example.com\n"


def _csv(tmp_path):
    path = tmp_path / "guests.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _killed(maria, *, lease_left: dt.timedelta | None, started: dt.timedelta) -> ImportBatch:
    """A batch as a direct run killed after 5,000 rows leaves it."""
    now = timezone.now()
    return ImportBatch.objects.create(
        file_name="big.csv",
        created_by=maria,
        state=ImportBatch.State.RUNNING,
        rows=5000,
        started_at=now - started,
        lease_owner="elsewhere.invalid:4242",  # another machine's process
        lease_expires_at=None if lease_left is None else now + lease_left,
    )


def test_a_finished_run_gives_its_lease_back(tmp_path, maria):
    batch = import_run(actor=maria, path=_csv(tmp_path))

    batch.refresh_from_db()
    assert (batch.state, batch.lease_owner, batch.lease_expires_at) == ("done", "", None)


def test_a_killed_runs_batch_ends_failed_when_a_worker_looks_for_work(maria):
    killed = _killed(maria, lease_left=-dt.timedelta(minutes=1), started=dt.timedelta(hours=1))

    jobs.run_imports(timezone.now())

    killed.refresh_from_db()
    assert killed.state == "failed"
    assert killed.message.startswith("The import stopped before it ended")
    assert "after 5000 rows" in killed.message


def test_a_killed_runs_batch_ends_failed_when_the_next_run_starts(tmp_path, maria):
    killed = _killed(maria, lease_left=None, started=LEASE + dt.timedelta(minutes=1))

    import_run(actor=maria, path=_csv(tmp_path))

    killed.refresh_from_db()
    assert killed.state == "failed"


def test_a_run_still_holding_its_lease_is_left_running(tmp_path, maria):
    alive = _killed(maria, lease_left=dt.timedelta(minutes=5), started=dt.timedelta(hours=1))

    import_run(actor=maria, path=_csv(tmp_path))
    jobs.run_imports(timezone.now())

    alive.refresh_from_db()
    assert alive.state == "running"


def test_an_unexpected_error_ends_the_run_failed(tmp_path, maria, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(run_module, "_run_chunk", broken)

    with pytest.raises(RuntimeError):
        import_run(actor=maria, path=_csv(tmp_path))

    batch = ImportBatch.objects.get()
    assert (batch.state, batch.lease_owner) == ("failed", "")
    assert batch.message.startswith("The import stopped on an unexpected error (RuntimeError)")


def test_a_purchases_run_holds_and_gives_back_its_lease_too(tmp_path, maria):
    pos_world.people()
    killed = _killed(maria, lease_left=-dt.timedelta(minutes=1), started=dt.timedelta(hours=1))

    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path))

    killed.refresh_from_db()
    batch.refresh_from_db()
    assert (killed.state, batch.state, batch.lease_owner) == ("failed", "done", "")


def test_a_run_whose_process_still_runs_here_is_left_running_past_its_lease(maria):
    # A long step without chunks (building the indexes again) renews nothing: the process,
    # still running on this machine, keeps its run.
    import os
    import socket

    alive = _killed(maria, lease_left=-dt.timedelta(minutes=30), started=dt.timedelta(hours=1))
    ImportBatch.objects.filter(pk=alive.pk).update(
        lease_owner=f"{socket.gethostname()}:{os.getpid()}"
    )

    jobs.run_imports(timezone.now())

    alive.refresh_from_db()
    assert alive.state == "running"


def test_a_run_whose_lease_ran_out_a_day_ago_fails_even_if_its_pid_is_in_use(maria):
    # PIDs are reused: a process of that number a day past the lease is not the run's.
    import os
    import socket

    old = _killed(maria, lease_left=-dt.timedelta(days=2), started=dt.timedelta(days=3))
    ImportBatch.objects.filter(pk=old.pk).update(
        lease_owner=f"{socket.gethostname()}:{os.getpid()}"
    )

    jobs.run_imports(timezone.now())

    old.refresh_from_db()
    assert old.state == "failed"
