"""A household keeps its UID (``X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=…``): the members of one
household exported in two files and imported one after the other live in one household again,
the next export names it by the same UID, and importing a file again changes nothing. Nobody
who lives in a household already is moved; a household dissolved since is made again by the
file that names it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry
from goodwill.exchange.importer.run import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.tests.export_world import export_text
from goodwill.people.models import Household, Person
from goodwill.people.services.households import household_create, household_delete
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

COUNTS = ("created", "updated", "unchanged", "skipped", "error_count", "warning_count")
UID = re.compile(r'^X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=("[^"]*"|[^:]*):', re.MULTILINE)


def _card(given: str, household: str = "X-GOODWILL-UID=h-1:The Harrises;12 Elm St") -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:4.0\r\n"
        f"UID:urn:uuid:{given.lower()}\r\nFN:{given} Harris\r\nN:Harris;{given};;;\r\n"
        f"EMAIL:{given.lower()}@example.com\r\n"
        f"X-GOODWILL-HOUSEHOLD;{household};Halifax;;;CA;Two dogs\r\n"
        "END:VCARD\r\n"
    )


def _import(tmp_path: Path, text: str, name: str = "people.vcf", **options: Any) -> ImportBatch:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return import_run(actor=None, path=path, **options)


def _homes() -> list[tuple[str, list[str]]]:
    """Each household's name and its members' given names."""
    return sorted(
        (h.name, sorted(h.members.values_list("given_name", flat=True)))
        for h in Household.objects.all()
    )


def _uids(text: str) -> dict[str, str]:
    """Each card's household UID in an export, by the card's given name."""
    found = {}
    for card in text.split("BEGIN:VCARD")[1:]:
        given = re.search(r"^N:[^;]*;([^;]*);", card, re.MULTILINE)
        uid = UID.search(card)
        if given and uid:
            found[given.group(1)] = uid.group(1)
    return found


def _changes(after: int) -> list[str]:
    """The actions after audit entry ``after`` that change a household or its members."""
    actions = AuditEntry.objects.filter(id__gt=after).values_list("action", flat=True)
    return [a for a in actions if a.startswith("household.")]


def _last_audit() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_one_household_exported_in_two_files_is_one_household_again(tmp_path: Path) -> None:
    first = _import(tmp_path, _card("Ann") + _card("Ben"), "first.vcf")
    second = _import(tmp_path, _card("Cleo"), "second.vcf")

    assert (first.created, second.created) == (2, 1)
    assert _homes() == [("The Harrises", ["Ann", "Ben", "Cleo"])]
    assert _uids(export_text("vcard")) == {"Ann": "h-1", "Ben": "h-1", "Cleo": "h-1"}


def test_importing_each_file_again_changes_nothing(tmp_path: Path) -> None:
    _import(tmp_path, _card("Ann"), "first.vcf")
    _import(tmp_path, _card("Ben"), "second.vcf")
    before, last = _homes(), _last_audit()

    again = [_import(tmp_path, _card(given), f"{given}.vcf") for given in ("Ann", "Ben")]

    assert [tuple(getattr(b, f) for f in COUNTS) for b in again] == [(0, 0, 1, 0, 0, 0)] * 2
    assert _homes() == before == [("The Harrises", ["Ann", "Ben"])]
    assert _changes(last) == []


def test_export_import_export_names_the_household_by_the_same_uid(tmp_path: Path) -> None:
    ann = make_person(given_name="Ann", family_name="Harris", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", family_name="Harris", emails=["ben@example.com"])
    household_create(actor=None, member_ids=[ann.pk, ben.pk], name="The Harrises")
    exported = export_text("vcard")
    Person.objects.all().delete()
    Household.objects.all().delete()

    _import(tmp_path, exported)

    uid = _uids(exported)["Ann"]
    assert _uids(export_text("vcard")) == _uids(exported) == {"Ann": uid, "Ben": uid}
    assert _homes() == [("The Harrises", ["Ann", "Ben"])]


def test_a_uid_from_another_system_is_kept_as_the_file_gives_it(tmp_path: Path) -> None:
    household = 'X-GOODWILL-UID="URN:UUID:Fam;Smith:1":The Smiths;1 Oak Rd'
    _import(tmp_path, _card("Ann", household) + _card("Ben", household))

    exported = export_text("vcard")

    # Kept as goodwill compares UIDs (urn:uuid: aside, any case), quoted where it must be.
    assert _uids(exported) == {"Ann": '"fam;smith:1"', "Ben": '"fam;smith:1"'}
    Person.objects.filter(given_name="Ben").delete()
    _import(tmp_path, exported, "again.vcf")
    assert _homes() == [("The Smiths", ["Ann", "Ben"])]


def test_someone_in_another_household_stays_and_the_newcomer_joins_the_uids(
    tmp_path: Path,
) -> None:
    _import(tmp_path, _card("Ann"), "first.vcf")
    ben = make_person(given_name="Ben", family_name="Harris", emails=["ben@example.com"])
    household_create(actor=None, member_ids=[ben.pk], name="Ben's boat")

    batch = _import(tmp_path, _card("Ben") + _card("Cleo"), "second.vcf", dedupe="update-empty")

    assert (batch.created, batch.error_count) == (1, 0)
    assert _homes() == [("Ben's boat", ["Ben"]), ("The Harrises", ["Ann", "Cleo"])]


def test_a_dissolved_household_is_made_again_under_its_uid(tmp_path: Path) -> None:
    _import(tmp_path, _card("Ann"), "first.vcf")
    household_delete(actor=None, household=Household.objects.get())
    last = _last_audit()

    _import(tmp_path, _card("Ann") + _card("Ben"), "second.vcf")

    # The file says they live together: the household is made again, with the file's name.
    assert _homes() == [("The Harrises", ["Ann", "Ben"])]
    assert _uids(export_text("vcard")) == {"Ann": "h-1", "Ben": "h-1"}
    assert _changes(last) == ["household.bulk_join"]


def test_a_uid_too_long_to_keep_leaves_the_household_out_with_a_warning(
    tmp_path: Path,
) -> None:
    long = "u" * 256
    batch = _import(tmp_path, _card("Ann", f"X-GOODWILL-UID={long}:The Harrises;12 Elm St"))

    assert (batch.created, batch.warning_count) == (1, 1)
    [warning] = batch.warnings
    assert (warning["line"], warning["column"]) == (7, "X-GOODWILL-HOUSEHOLD")
    assert warning["message"] == (
        f"{'u' * 40}…: a household UID longer than 255 characters; imported without it."
    )
    assert _homes() == []


def test_households_made_by_hand_each_have_their_own_uid() -> None:
    one = household_create(actor=None, name="One")
    two = household_create(actor=None, name="Two")

    assert len({one.uid, two.uid}) == 2
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", one.uid)
