"""Erasing someone deletes the uploads goodwill still keeps that hold their address (a draft,
a dry run waiting for its real run), whatever the file's encoding; other uploads stay."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.services.imports import import_upload, stored_path
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


def _upload(maria: User, name: str, text: str, encoding: str = "utf-8") -> ImportBatch:
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    return import_upload(actor=maria, name=name, chunks=[data])


def test_uploads_holding_their_address_are_deleted(
    maria: User, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    erin = make_person(given_name="Erin", family_name="Walsh", emails=["erin@example.com"])
    hers = _upload(maria, "hers.csv", "Name,Email\nErin Walsh,Erin@Example.com\n")
    wide = _upload(maria, "wide.csv", "Name,Email\nE W,erin@example.com\n", "utf-16-le")
    other = _upload(maria, "other.csv", "Name,Email\nFarid Keeps,farid@example.com\n")
    paths = [stored_path(b) for b in (hers, wide, other)]

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=alice, person=erin, confirm_name="Erin Walsh")

    assert [p.exists() for p in paths] == [False, False, True]
    for batch in (hers, wide):
        batch.refresh_from_db()
        assert (batch.state, batch.stored_file) == ("failed", "")
        assert "held the address of someone who has since been erased" in batch.message
    other.refresh_from_db()
    assert (other.state, other.stored_file) == ("draft", paths[2].name)
    entry = AuditEntry.objects.get(action="person.erase")
    assert entry.changes["uploads_deleted"] == 2


def test_a_card_with_their_address_on_a_folded_line_is_deleted(
    maria: User, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    erin = make_person(given_name="Erin", family_name="Walsh", emails=["erin.walsh@example.com"])
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Erin Walsh\r\n"
        'EMAIL;TYPE=home;X-GOODWILL-LABEL="Home";PREF=1:erin.wa\r\n lsh@example.com\r\n'
        "END:VCARD\r\n"
    )
    batch = _upload(maria, "erin.vcf", card)
    path = stored_path(batch)

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=alice, person=erin, confirm_name="Erin Walsh")

    assert not path.exists()
