"""Queueing an import twice at once (a double click, two tabs) queues it once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange import jobs
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.imports import import_queue, import_upload
from goodwill.people.models import Person

pytestmark = pytest.mark.usefixtures("data_dir")

CSV = "First Name,Last Name,E-mail 1 - Value\nAnn,Lee,ann@example.com\nBob,Stone,bob@example.com\n"
OPTIONS = {"dedupe": "update-empty", "unmapped": "ignore", "categories": "interests"}


def _dry_run(maria: User) -> ImportBatch:
    draft = import_upload(actor=maria, name="guests.csv", chunks=[CSV.encode()])
    checked = import_queue(actor=maria, batch=draft, options=OPTIONS, dry_run=True)
    jobs.run_imports(timezone.now())
    checked.refresh_from_db()
    assert checked.state == "dry-run"
    return checked


def _queued() -> list[int | None]:
    return list(
        AuditEntry.objects.filter(action="import.queue").values_list("target_id", flat=True)
    )


def test_two_requests_queue_one_real_run_from_a_dry_run(maria: User) -> None:
    checked = _dry_run(maria)
    stale = ImportBatch.objects.get(pk=checked.pk)  # what the second request read
    first = import_queue(actor=maria, batch=checked, options=OPTIONS, dry_run=False)
    second = import_queue(actor=maria, batch=stale, options=OPTIONS, dry_run=False)
    assert second.pk == first.pk
    assert ImportBatch.objects.count() == 2  # the dry run and one real run
    jobs.run_imports(timezone.now())
    first.refresh_from_db()
    assert (first.state, first.created, first.message) == ("done", 2, "")
    assert Person.objects.count() == 2
    assert _queued().count(first.pk) == 1


def test_two_requests_queue_a_draft_once(maria: User) -> None:
    draft = import_upload(actor=maria, name="guests.csv", chunks=[CSV.encode()])
    stale = ImportBatch.objects.get(pk=draft.pk)
    first = import_queue(actor=maria, batch=draft, options=OPTIONS, dry_run=False)
    second = import_queue(actor=maria, batch=stale, options=OPTIONS, dry_run=False)
    assert second.pk == first.pk == draft.pk
    assert len(_queued()) == 1
    jobs.run_imports(timezone.now())
    assert Person.objects.count() == 2


def test_a_second_click_on_the_dry_run_page_lands_on_the_real_run(
    maria: User, maria_client: Client
) -> None:
    checked = _dry_run(maria)
    data = {
        "dedupe": "update-empty",
        "possible_duplicates": "skip",
        "unmapped": "ignore",
        "categories": "interests",
        "column_0": "given_name",
        "column_1": "family_name",
        "column_2": "email",
        "run": "1",
    }
    first = maria_client.post(f"/imports/{checked.pk}/", data)
    second = maria_client.post(f"/imports/{checked.pk}/", data)
    real = ImportBatch.objects.exclude(pk=checked.pk).get()
    assert first["Location"] == second["Location"] == f"/imports/{real.pk}/"
    page = maria_client.get(f"/imports/{checked.pk}/").content.decode()
    assert 'id="import-real-run"' in page
    assert f'href="/imports/{real.pk}/">import {real.pk}</a>' in page


def test_a_failed_run_shows_how_far_it_got_not_a_full_bar(
    maria: User, maria_client: Client
) -> None:
    draft = import_upload(actor=maria, name="guests.csv", chunks=[CSV.encode()])
    batch = import_queue(actor=maria, batch=draft, options=OPTIONS, dry_run=False)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state="failed", rows=0, total=2, message="The worker stopped."
    )
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert '<progress id="import-bar" max="100" value="0"' in page
