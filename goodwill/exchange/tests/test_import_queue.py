"""Queued imports: upload, confirm, claim, run in the worker's job, cancel, restart, purge."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.exchange import jobs
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.imports import (
    import_cancel,
    import_claim,
    import_files_purge,
    import_folder,
    import_queue,
    import_run_claimed,
    import_upload,
    stored_path,
)
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person

CSV = (
    "First Name,Last Name,E-mail 1 - Value,Birthday,Shoe size\n"
    "Ann,Lee,ann@example.com,1980-04-12,38\n"
    "Bob,Stone,bob@example.com,--05-13,44\n"
    "Cy,Moss,cy@example.com,,40\n"
)
pytestmark = pytest.mark.usefixtures("data_dir")

OPTIONS = {"dedupe": "update-empty", "unmapped": "ignore", "categories": "interests"}


def _upload(actor: User | None, text: str = CSV, name: str = "guests.csv") -> ImportBatch:
    return import_upload(actor=actor, name=name, chunks=[text.encode("utf-8")])


def _run_queue() -> None:
    jobs.run_imports(timezone.now())


def test_an_upload_is_kept_as_a_draft_with_its_format(maria):
    batch = _upload(maria)
    assert (batch.state, batch.format, batch.file_name, batch.created_by) == (
        "draft",
        "csv",
        "guests.csv",
        maria,
    )
    assert stored_path(batch).read_text(encoding="utf-8") == CSV
    assert len(batch.stored_file) == 36  # 32 random hex characters and ".csv"
    assert Person.objects.count() == 0


def test_an_unreadable_upload_is_refused_naming_the_file_and_nothing_is_kept(maria):
    with pytest.raises(Invalid) as caught:
        import_upload(actor=maria, name="photo.csv", chunks=[b"\x89PNG\x00\x00\x01binary"])
    assert caught.value.fields["file"] == [
        "photo.csv: this looks like a binary file, not CSV or vCard."
    ]
    assert ImportBatch.objects.count() == 0
    assert list(import_folder().iterdir()) == []


def test_an_upload_over_the_limit_is_refused_and_not_kept(maria, settings):
    settings.IMPORT_MAX_MB = 1
    with pytest.raises(Invalid) as caught:
        import_upload(actor=maria, name="big.csv", chunks=[b"a,b\n" * 300_000])
    assert caught.value.fields["file"] == ["big.csv: the file is too large (the limit is 1 MB)."]
    assert list(import_folder().iterdir()) == []


def test_staff_cannot_upload(bob):
    with pytest.raises(Forbidden):
        _upload(bob)
    assert ImportBatch.objects.count() == 0


def test_a_queued_import_is_run_by_the_worker_job_and_its_file_deleted(maria):
    batch = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    assert batch.state == "pending"
    path = stored_path(batch)
    _run_queue()
    batch.refresh_from_db()
    assert (batch.state, batch.rows, batch.total, batch.created, batch.percent) == (
        "done",
        3,
        3,
        3,
        100,
    )
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Ann", "Bob", "Cy"]
    assert Occasion.objects.count() == 2
    assert (batch.stored_file, path.exists(), batch.lease_owner) == ("", False, "")
    assert AuditEntry.objects.filter(action="import.queue").count() == 1


def test_a_column_set_to_ignore_is_dropped_and_an_unknown_one_goes_to_notes(maria):
    options = {**OPTIONS, "unmapped": "notes", "mapping": {"Birthday": "ignore"}}
    import_queue(actor=maria, batch=_upload(maria), options=options, dry_run=False)
    _run_queue()
    ann = Person.objects.get(given_name="Ann")
    assert ann.notes == "Shoe size: 38"
    assert Occasion.objects.count() == 0


def test_a_mapping_to_an_unknown_column_or_field_is_refused_naming_map(maria):
    batch = _upload(maria)
    with pytest.raises(Invalid) as caught:
        import_queue(
            actor=maria, batch=batch, options={**OPTIONS, "mapping": {"Hat": "email"}}, dry_run=0
        )
    assert caught.value.fields["map"] == ["There is no column 'Hat'."]
    with pytest.raises(Invalid) as caught:
        import_queue(
            actor=maria,
            batch=batch,
            options={**OPTIONS, "mapping": {"Shoe size": "shoe"}},
            dry_run=False,
        )
    assert list(caught.value.fields) == ["map"]
    batch.refresh_from_db()
    assert batch.state == "draft"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("dedupe", "merge"),
        ("unmapped", "keep"),
        ("categories", "labels"),
        ("possible_duplicates", "merge"),
    ],
)
def test_an_unknown_option_is_refused_naming_it(maria, name, value):
    batch = _upload(maria)
    with pytest.raises(Invalid) as caught:
        import_queue(actor=maria, batch=batch, options={**OPTIONS, name: value}, dry_run=False)
    assert list(caught.value.fields) == [name]
    batch.refresh_from_db()
    assert batch.state == "draft"


def test_a_queued_import_may_make_categories_tags(maria):
    text = "First Name,Last Name,E-mail 1 - Value,Labels\nAnn,Lee,ann@example.com,VIP ::: Wine\n"
    options = {**OPTIONS, "categories": "tags"}
    batch = import_queue(actor=maria, batch=_upload(maria, text), options=options, dry_run=False)
    _run_queue()
    batch.refresh_from_db()
    assert (batch.state, batch.created) == ("done", 1)
    ann = Person.objects.get()
    assert sorted(ann.tag_links.values_list("tag__name", flat=True)) == ["VIP", "Wine"]
    assert not ann.interests.exists()


def test_a_dry_run_writes_nothing_then_the_real_run_uses_the_same_file(maria):
    checked = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=True)
    _run_queue()
    checked.refresh_from_db()
    assert (checked.state, checked.created, Person.objects.count()) == ("dry-run", 3, 0)
    assert stored_path(checked).exists()
    real = import_queue(actor=maria, batch=checked, options=OPTIONS, dry_run=False)
    assert real.pk != checked.pk
    _run_queue()
    real.refresh_from_db()
    assert (real.state, real.created, Person.objects.count()) == ("done", 3, 3)
    checked.refresh_from_db()
    assert checked.stored_file == ""


def test_a_queued_or_finished_import_cannot_be_queued_again(maria):
    batch = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    with pytest.raises(Conflict):
        import_queue(actor=maria, batch=batch, options=OPTIONS, dry_run=False)
    _run_queue()
    batch.refresh_from_db()
    with pytest.raises(Conflict):
        import_queue(actor=maria, batch=batch, options=OPTIONS, dry_run=False)
    assert Person.objects.count() == 3


def test_two_workers_never_claim_the_same_import(maria):
    import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    first = import_claim(owner="w1")
    assert first is not None
    assert import_claim(owner="w2") is None


def test_an_import_whose_worker_died_starts_again_from_the_first_row(maria):
    batch = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    claimed = import_claim(owner="dead")
    assert claimed is not None
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows=2, created=2, started_at=timezone.now(), lease_expires_at=timezone.now()
    )
    later = timezone.now() + dt.timedelta(seconds=1)
    again = import_claim(owner="alive", now=later)
    assert again is not None
    assert again.pk == batch.pk
    import_run_claimed(batch=again, owner="alive")
    again.refresh_from_db()
    assert (again.state, again.rows, again.created) == ("done", 3, 3)
    assert again.message == "Started again from the first row: the worker running it stopped."


def test_a_queued_import_fails_when_its_user_lost_the_right_meanwhile(maria):
    batch = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    maria.role = User.Role.STAFF
    maria.save()
    _run_queue()
    batch.refresh_from_db()
    assert (batch.state, batch.message, Person.objects.count()) == (
        "failed",
        "Your role does not allow this.",
        0,
    )
    assert batch.stored_file == ""


def test_cancelling_a_waiting_import_deletes_its_file_and_runs_nothing(maria):
    batch = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    path = stored_path(batch)
    import_cancel(actor=maria, batch=batch)
    _run_queue()
    batch.refresh_from_db()
    assert (batch.state, batch.message, path.exists()) == (
        "failed",
        "Cancelled by maria@example.com.",
        False,
    )
    assert Person.objects.count() == 0


def test_a_running_or_finished_import_cannot_be_cancelled(maria):
    batch = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    _run_queue()
    batch.refresh_from_db()
    with pytest.raises(Conflict):
        import_cancel(actor=maria, batch=batch)


def test_files_of_drafts_left_for_two_days_are_purged(maria):
    old = _upload(maria)
    fresh = _upload(maria)
    two_days_ago = timezone.now() - dt.timedelta(days=2, minutes=1)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=two_days_ago)
    stray = import_folder() / "0123.upload"
    stray.write_bytes(b"left over")
    stamp = two_days_ago.timestamp()
    os.utime(stray, (stamp, stamp))
    assert import_files_purge() == 2
    old.refresh_from_db()
    assert (old.state, old.stored_file) == ("failed", "")
    assert stored_path(fresh).exists()
    assert not stray.exists()


def test_a_vcard_upload_is_detected_and_imported(maria):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ann;;;\r\nFN:Ann Lee\r\nEND:VCARD\r\n"
    batch = _upload(maria, card, name="phone.txt")
    assert batch.format == "vcard"
    import_queue(actor=maria, batch=batch, options=OPTIONS, dry_run=False)
    _run_queue()
    assert Person.objects.get().family_name == "Lee"
    assert Path(batch.stored_file).suffix == ".vcf"


def test_queueing_an_import_makes_the_imports_job_due_at_once(
    maria, django_capture_on_commit_callbacks
):
    from goodwill.outreach.models import ScheduledJob
    from goodwill.outreach.schedule import runner

    runner.ensure_rows()
    job = ScheduledJob.objects.get(name="exchange.imports")
    assert job.next_run_at > timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)
    job.refresh_from_db()
    assert job.next_run_at <= timezone.now()
    assert runner.run_due(owner="w", lease=dt.timedelta(minutes=1)) == {"exchange.imports": ""}
    assert Person.objects.count() == 3


def test_every_imported_fact_names_its_import(maria, maria_client):
    from goodwill.exchange.importer import import_run
    from goodwill.people.tests.factories import make_person

    text = CSV.replace("Shoe size", "Labels") + "Dee,Park,dee@example.com,1970-01-02,Sailing\n"
    batch = import_queue(actor=maria, batch=_upload(maria, text), options=OPTIONS, dry_run=False)
    _run_queue()
    ann = Person.objects.get(given_name="Ann")
    detail = f"guests.csv, import {batch.pk}"
    assert ann.source_detail == detail
    assert list(ann.interests.values_list("interest__name", "note")) == [("38", detail)]
    assert list(Occasion.objects.filter(person=ann).values_list("note", flat=True)) == [detail]
    page = maria_client.get(f"/people/{ann.pk}/").content.decode()
    assert f"From {detail}." in page
    # A person already here gets what a later import adds, named after that import.
    make_person(maria, given_name="Eve", family_name="Lane", emails=["eve@example.com"])
    path = import_folder() / "more.csv"
    path.write_text(
        "First Name,Last Name,Email,Birthday,Labels\nEve,Lane,eve@example.com,1990-03-04,Chess\n"
    )
    later = import_run(actor=maria, path=path)
    eve = Person.objects.get(given_name="Eve")
    assert eve.source_detail == ""
    assert list(eve.interests.values_list("note", flat=True)) == [f"more.csv, import {later.pk}"]
    assert list(Occasion.objects.filter(person=eve).values_list("note", flat=True)) == [
        f"more.csv, import {later.pk}"
    ]


def test_an_import_that_breaks_ends_failed_and_the_job_records_the_error(maria, monkeypatch):
    from goodwill.exchange.importer import run

    batch = import_queue(actor=maria, batch=_upload(maria), options=OPTIONS, dry_run=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run, "plan_chunk", broken)
    with pytest.raises(RuntimeError):
        _run_queue()
    batch.refresh_from_db()
    assert (batch.state, batch.stored_file, batch.lease_owner) == ("failed", "", "")
    assert batch.message == "The import stopped on an unexpected error; see the status page."
    assert import_claim(owner="next", now=timezone.now() + dt.timedelta(hours=1)) is None


def test_an_upload_whose_header_repeats_a_name_says_its_line(maria):
    with pytest.raises(Invalid) as caught:
        import_upload(actor=maria, name="dup.csv", chunks=[b"\n\nName,Email,Name\nAnn,a@x.org,B\n"])
    assert caught.value.fields["file"] == [
        "dup.csv: the header on line 3 names these columns more than once: Name."
    ]
