"""Rows that match stored people: the four dedupe policies, re-imports, the same person twice."""

from __future__ import annotations

import pytest

from goodwill.accounts.models import AuditEntry
from goodwill.core.errors import Invalid
from goodwill.exchange.importer import import_run
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person, PersonEmail, PersonInterest, PersonPhone
from goodwill.people.services.persons import person_create

HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,City,Birthday,Labels\n"


def _csv(tmp_path, *rows: str, name: str = "contacts.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        PersonEmail.objects.count(),
        PersonPhone.objects.count(),
        Occasion.objects.count(),
        PersonInterest.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def ann(db) -> Person:
    return person_create(
        actor=None, given_name="Ann", family_name="Harris", emails=["ann@example.com"]
    ).person


def test_update_empty_fills_only_empty_fields_and_adds_contacts(tmp_path, maria, ann):
    path = _csv(tmp_path, "Annie,Harrison,ANN@example.com,+1 902 555 0101,Halifax,1980-04-12,Tea")
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 0)
    ann.refresh_from_db()
    assert (ann.given_name, ann.family_name, ann.locality) == ("Ann", "Harris", "Halifax")
    assert list(ann.phones.values_list("e164", flat=True)) == ["+19025550101"]
    assert list(ann.emails.values_list("email", flat=True)) == ["ann@example.com"]
    assert list(Occasion.objects.values_list("person", "kind", "month", "day", "year")) == [
        (ann.pk, "birthday", 4, 12, 1980)
    ]
    assert list(ann.interests.values_list("interest__name", "source")) == [("Tea", "imported")]


def test_overwrite_replaces_names_with_the_files_values(tmp_path, maria, ann):
    path = _csv(tmp_path, "Annie,Harrison,ann@example.com,,Halifax,,")
    batch = import_run(actor=maria, path=path, dedupe="overwrite")
    assert (batch.created, batch.updated) == (0, 1)
    ann.refresh_from_db()
    assert (ann.given_name, ann.family_name, ann.locality) == ("Annie", "Harrison", "Halifax")
    assert Person.objects.count() == 1


def test_skip_leaves_matched_people_alone(tmp_path, maria, ann):
    path = _csv(
        tmp_path, "Annie,Harrison,ann@example.com,,Halifax,,", "Bob,Lee,bob@example.com,,,,"
    )
    before = ann.updated_at
    batch = import_run(actor=maria, path=path, dedupe="skip")
    assert (batch.created, batch.updated, batch.skipped) == (1, 0, 1)
    ann.refresh_from_db()
    assert (ann.given_name, ann.locality, ann.updated_at) == ("Ann", "", before)


def test_create_always_creates_a_new_person(tmp_path, maria, ann):
    path = _csv(tmp_path, "Ann,Harris,ann@example.com,,,,")
    batch = import_run(actor=maria, path=path, dedupe="create")
    assert (batch.created, batch.updated) == (1, 0)
    assert PersonEmail.objects.filter(email="ann@example.com").count() == 2


def test_a_phone_match_updates_when_the_row_has_no_email(tmp_path, maria):
    stored = person_create(actor=None, given_name="Cy", phones=["+19025550199"]).person
    batch = import_run(actor=maria, path=_csv(tmp_path, "Cy,Young,,902-555-0199,,,"))
    assert (batch.created, batch.updated) == (0, 1)
    stored.refresh_from_db()
    assert stored.family_name == "Young"


def test_a_shared_phone_does_not_join_two_people_with_their_own_emails(tmp_path, maria):
    person_create(actor=None, given_name="Di", emails=["di@example.com"], phones=["+19025550199"])
    batch = import_run(actor=maria, path=_csv(tmp_path, "Ed,Ray,ed@example.com,902-555-0199,,,"))
    assert (batch.created, batch.updated) == (1, 0)


def test_same_name_without_email_or_phone_is_a_possible_duplicate(tmp_path, maria, ann):
    path = _csv(tmp_path, "Ann,Harris,,,Halifax,,")
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.skipped, batch.duplicates, batch.error_count) == (0, 1, 1, 0)
    assert batch.errors == [
        {
            "line": 2,
            "column": "name",
            "message": f"Possible duplicate of {ann.full_name} (same name); skipped.",
            "person_id": ann.pk,
        }
    ]
    created = import_run(actor=maria, path=path, dedupe="create")
    assert (created.created, created.duplicates) == (1, 0)


def test_possible_duplicates_may_be_created_while_email_matches_still_update(tmp_path, maria, ann):
    path = _csv(tmp_path, "Ann,Harris,,,Halifax,,", "Ann,Harris,ann@example.com,,Digby,,")
    batch = import_run(actor=maria, path=path, possible_duplicates="create")
    assert (batch.created, batch.updated, batch.duplicates, batch.errors) == (1, 1, 0, [])
    assert Person.objects.filter(given_name="Ann", family_name="Harris").count() == 2
    with pytest.raises(Invalid) as caught:
        import_run(actor=maria, path=path, possible_duplicates="merge")
    assert list(caught.value.fields) == ["possible_duplicates"]


def test_the_same_email_twice_in_a_file_is_one_person(tmp_path, maria):
    path = _csv(
        tmp_path,
        "Fay,Wu,fay@example.com,,,,",
        "Fay,Wu,FAY@example.com,+1 902 555 0123,Truro,,",
    )
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.updated) == (1, 1)
    (fay,) = Person.objects.all()
    assert (fay.locality, fay.primary_phone) == ("Truro", "+19025550123")


def test_the_same_email_in_a_later_chunk_updates_the_person_made_earlier(tmp_path, maria):
    path = _csv(tmp_path, "Fay,Wu,fay@example.com,,,,", "Fay,Wu,fay@example.com,,Truro,,")
    batch = import_run(actor=maria, path=path, chunk=1)
    assert (batch.created, batch.updated) == (1, 1)
    assert Person.objects.get().locality == "Truro"


def test_reimporting_the_same_file_writes_nothing(tmp_path, maria):
    path = _csv(
        tmp_path,
        "Gus,Ng,gus@example.com,+1 902 555 0111,Halifax,1975-01-02,Tea",
        "Hal,Oz,,+1 902 555 0112,,--03-04,",
        "Ida,Po,,,,,",
    )
    first = import_run(actor=maria, path=path)
    assert (first.created, first.error_count) == (3, 0)
    before = _counts()
    again = import_run(actor=maria, path=path)
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 2, 1)
    assert again.duplicates == 1
    assert _counts() == before


def test_overwrite_keeps_the_name_when_the_file_only_has_a_display_name(tmp_path, maria, ann):
    path = tmp_path / "card.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Annie H\r\nEMAIL:ann@example.com\r\n"
        "ADR;TYPE=home:;;1 Main St;Halifax;NS;B3H 1A1;Canada\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path, dedupe="overwrite")
    assert (batch.created, batch.updated) == (0, 1)
    ann.refresh_from_db()
    assert (ann.given_name, ann.family_name, ann.street, ann.locality, ann.country) == (
        "Ann",
        "Harris",
        "1 Main St",
        "Halifax",
        "CA",
    )


def test_a_display_name_alone_makes_a_new_person_named_by_it(tmp_path, maria):
    # A business's card (Apple's X-ABShowAs:COMPANY) keeps its display name whole.
    path = tmp_path / "card.vcf"
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Corner Shop\r\nX-ABShowAs:COMPANY\r\nEND:VCARD\r\n"
    path.write_text(card, "utf-8")
    import_run(actor=maria, path=path)
    assert list(Person.objects.values_list("given_name", "family_name")) == [("Corner Shop", "")]


def test_a_matched_row_with_a_placeholder_phone_still_updates_the_person(tmp_path, maria, ann):
    path = _csv(tmp_path, "Ann,Harris,ann@example.com,99999999,Halifax,1980-02-30,* myContacts")
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.updated, batch.error_count, batch.warning_count) == (0, 1, 0, 2)
    assert [(w["line"], w["column"]) for w in batch.warnings] == [
        (2, "Phone 1 - Value"),
        (2, "Birthday"),
    ]
    ann.refresh_from_db()
    assert ann.locality == "Halifax"
    assert (ann.phones.count(), ann.interests.count(), Occasion.objects.count()) == (0, 0, 0)


def test_a_reimport_with_only_dropped_values_changes_nothing(tmp_path, maria, ann):
    path = _csv(tmp_path, "Ann,Harris,ann@example.com,99999999,,,")
    batch = import_run(actor=maria, path=path)
    assert (batch.updated, batch.unchanged, batch.warning_count) == (0, 1, 1)
    assert list(ann.emails.values_list("email", flat=True)) == ["ann@example.com"]
