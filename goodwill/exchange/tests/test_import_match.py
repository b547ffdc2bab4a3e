"""Name matches: the exact full name plus one more fact that agrees is the same person; the
name alone is a possible duplicate; the same rules hold between rows of one file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from goodwill.accounts.models import AuditEntry
from goodwill.exchange import jobs
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person, PersonEmail, PersonPhone
from goodwill.people.services.organisations import membership_set, organisation_create
from goodwill.people.services.persons import person_create

HEADER = "First Name,Last Name,Email,Phone,Company,Birthday,Street,City,Postal Code\n"


def _csv(tmp_path, *rows: str, name: str = "guests.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _counts(batch) -> tuple[int, int, int, int]:
    return (batch.created, batch.updated, batch.skipped, batch.duplicates)


def _emails(person: Person) -> list[str]:
    return list(person.emails.values_list("email", flat=True))


@pytest.fixture
def zoe(db) -> Person:
    """Zoe Quill of Quill & Co, born 14 March 1985, known by her old email only."""
    person = person_create(
        actor=None,
        given_name="Zoe",
        family_name="Quill",
        emails=["zoe@old.example"],
        street="1 Main St",
        locality="Halifax",
        postal_code="B3H 1A1",
    ).person
    org = organisation_create(actor=None, name="Quill & Co")
    membership_set(actor=None, person=person, organisation=org)
    occasion_create(
        actor=None, kind=Occasion.Kind.BIRTHDAY, month=3, day=14, year=1985, person=person
    )
    return person


def test_the_same_name_and_organisation_updates_the_person(tmp_path, maria, zoe):
    path = _csv(tmp_path, "Zoe,Quill,zoe@new.example,,QUILL & CO,,,,")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 1, 0, 0)
    assert Person.objects.count() == 1
    assert _emails(zoe) == ["zoe@old.example", "zoe@new.example"]


def test_a_row_with_email_and_phone_finds_a_namesake_who_has_no_phone(tmp_path, maria, zoe):
    path = _csv(tmp_path, "Zoe,Quill,zoe@new.example,+1 902 555 0101,Quill & Co,,,,")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 1, 0, 0)
    assert list(zoe.phones.values_list("e164", flat=True)) == ["+19025550101"]


def test_the_same_name_and_birthday_updates_the_person(tmp_path, maria, zoe):
    path = _csv(
        tmp_path,
        "Zoe,Quill,zoe@new.example,,,1985-03-14,,,",
        "Zoe,Quill,zoe@third.example,,,--03-14,,,",
    )
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 2, 0, 0)
    assert _emails(zoe) == ["zoe@old.example", "zoe@new.example", "zoe@third.example"]


@pytest.mark.parametrize(
    ("street", "city", "postal"),
    [("", "", "b3h1a1"), ("1 MAIN ST", "halifax", "")],
    ids=["postal code", "street and town"],
)
def test_the_same_name_and_address_updates_the_person(tmp_path, maria, zoe, street, city, postal):
    path = _csv(tmp_path, f"Zoe,Quill,,+1 902 555 0101,,,{street},{city},{postal}")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 1, 0, 0)
    assert list(zoe.phones.values_list("e164", flat=True)) == ["+19025550101"]


def test_a_birthday_in_another_year_is_another_person(tmp_path, maria, zoe):
    path = _csv(tmp_path, "Zoe,Quill,zoe@new.example,,Quill & Co,1990-03-14,,,")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (1, 0, 0, 0)
    assert _emails(zoe) == ["zoe@old.example"]


def test_the_name_alone_is_a_possible_duplicate(tmp_path, maria, zoe):
    path = _csv(tmp_path, "Zoe,Quill,,,,,,Truro,")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 0, 1, 1)
    assert batch.errors == [
        {
            "line": 2,
            "column": "name",
            "message": f"Possible duplicate of {zoe.full_name} (same name); skipped.",
            "person_id": zoe.pk,
        }
    ]
    assert import_run(actor=maria, path=path, possible_duplicates="create").created == 1


def test_namesakes_with_their_own_email_and_phone_are_never_joined(tmp_path, maria):
    stored = person_create(
        actor=None,
        given_name="Zoe",
        family_name="Quill",
        emails=["zoe@one.example"],
        phones=["+19025550101"],
        locality="Halifax",
        street="1 Main St",
    ).person
    path = _csv(tmp_path, "Zoe,Quill,zoe@two.example,+1 902 555 0199,,,1 Main St,Halifax,")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (1, 0, 0, 0)
    assert _emails(stored) == ["zoe@one.example"]


def test_a_shared_phone_and_name_join_people_with_different_emails(tmp_path, maria):
    stored = person_create(
        actor=None,
        given_name="Zoe",
        family_name="Quill",
        emails=["zoe@one.example"],
        phones=["+19025550101"],
    ).person
    path = _csv(tmp_path, "Zoe,Quill,zoe@two.example,+1 902 555 0101,,,,,")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 1, 0, 0)
    assert _emails(stored) == ["zoe@one.example", "zoe@two.example"]


def test_an_email_match_wins_over_a_name_match(tmp_path, maria, zoe):
    zed = person_create(actor=None, given_name="Zed", emails=["zed@example.com"]).person
    path = _csv(tmp_path, "Zoe,Quill,zed@example.com,,Quill & Co,,,Digby,")
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 1, 0, 0)
    zed.refresh_from_db()
    zoe.refresh_from_db()
    assert (zed.family_name, zed.locality, zoe.locality) == ("Quill", "Digby", "Halifax")


def test_skip_leaves_a_name_match_alone(tmp_path, maria, zoe):
    path = _csv(tmp_path, "Zoe,Quill,zoe@new.example,,Quill & Co,,,,")
    batch = import_run(actor=maria, path=path, dedupe="skip")
    assert _counts(batch) == (0, 0, 1, 0)
    assert _emails(zoe) == ["zoe@old.example"]


@pytest.mark.parametrize("chunk", [5000, 1])
def test_rows_of_one_file_follow_the_same_rules(tmp_path, maria, chunk):
    path = _csv(
        tmp_path,
        "Zoe,Quill,zoe@one.example,,Quill & Co,,,,",
        "Zoe,Quill,zoe@two.example,,quill & co,,,,",  # the same Zoe: name and organisation
        "Zoe,Quill,,,,,,Truro,",  # the name alone
        "Ann,Lee,ann@one.example,+1 902 555 0101,Acme,,,,",
        "Ann,Lee,ann@two.example,+1 902 555 0102,Acme,,,,",  # her own email and phone
    )
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    batch = import_run(actor=maria, path=path, chunk=chunk)
    assert _counts(dry) == _counts(batch) == (3, 1, 1, 1)
    assert batch.errors[0]["line"] == 4
    zoe = Person.objects.get(given_name="Zoe")
    assert _emails(zoe) == ["zoe@one.example", "zoe@two.example"]
    assert Person.objects.filter(given_name="Ann").count() == 2


@pytest.mark.parametrize("chunk", [5000, 1])
def test_namesakes_with_different_birthdays_stay_apart_in_a_dry_run_too(tmp_path, maria, chunk):
    path = _csv(
        tmp_path,
        "Ann,Lee,,,,1980-03-22,,,B3H 1A1",
        "Ann,Lee,,,,1975-07-01,,,B3H 1A1",  # the same postcode, another birthday
        "Ann,Lee,,,,--03-22,3 Oak St,Halifax,B3H 1A1",  # the first Ann's day: her, and her street
    )
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    batch = import_run(actor=maria, path=path, chunk=chunk)
    # The second Ann is a possible duplicate (skipped), the third the first Ann again.
    assert _counts(dry) == _counts(batch) == (1, 1, 1, 1)
    assert [e["line"] for e in batch.errors] == [3]


def test_rows_named_after_their_company_are_not_joined_by_it(tmp_path, maria):
    path = _csv(
        tmp_path,
        ",,sales@acme.example,,Acme Corp,,,,",
        ",,billing@acme.example,,Acme Corp,,,,",
        "Jane,Doe,jane@acme.example,,Acme Corp,,,,",
    )
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (3, 0, 0, 0)
    acme = Person.objects.filter(given_name="Acme Corp").order_by("id")
    assert [_emails(p) for p in acme] == [["sales@acme.example"], ["billing@acme.example"]]


def test_a_row_that_updated_someone_is_found_again_by_its_new_email(tmp_path, maria, zoe):
    path = _csv(
        tmp_path,
        "Zoe,Quill,zoe@new.example,,Quill & Co,,,,",
        "Zoe,Quill,zoe@new.example,+1 902 555 0101,,,,,",
    )
    batch = import_run(actor=maria, path=path)
    assert _counts(batch) == (0, 2, 0, 0)
    assert list(zoe.phones.values_list("e164", flat=True)) == ["+19025550101"]


def test_a_dry_run_counts_what_the_real_run_does(tmp_path, maria, zoe):
    path = _csv(
        tmp_path,
        "Zoe,Quill,zoe@new.example,,Quill & Co,,,,",
        "Zoe,Quill,,,,,,,",
        "Bo,Ray,bo@example.com,,,,,,",
    )
    before = (Person.objects.count(), PersonEmail.objects.count())
    dry = import_run(actor=maria, path=path, dry_run=True)
    assert (dry.created, dry.updated, dry.duplicates) == (1, 1, 1)
    assert (Person.objects.count(), PersonEmail.objects.count()) == before
    real = import_run(actor=maria, path=path)
    assert (real.created, real.updated, real.duplicates) == (1, 1, 1)


def test_reimporting_a_file_of_name_matches_creates_nothing(tmp_path, maria, zoe):
    path = _csv(
        tmp_path,
        "Zoe,Quill,,,Quill & Co,,,,",
        "Cy,Young,,,Young Ltd,--05-06,,,",
        "Di,Ng,,,,,2 Elm St,Truro,",
        "Ed,Ray,,,,,,,",
    )
    first = import_run(actor=maria, path=path)
    assert _counts(first) == (3, 0, 0, 0)
    counts = (
        Person.objects.count(),
        PersonEmail.objects.count(),
        PersonPhone.objects.count(),
        Occasion.objects.count(),
        AuditEntry.objects.count(),
    )
    again = import_run(actor=maria, path=path)
    assert (again.created, again.updated, again.unchanged, again.duplicates) == (0, 0, 3, 1)
    assert (
        Person.objects.count(),
        PersonEmail.objects.count(),
        PersonPhone.objects.count(),
        Occasion.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


@pytest.mark.usefixtures("data_dir")
def test_the_web_preview_shows_the_name_match_as_an_update(maria_client, zoe):
    text = "First Name,Last Name,Email,Company\nZoe,Quill,zoe@new.example,Quill & Co\nZoe,Quill,,\n"
    upload = SimpleUploadedFile("guests.csv", text.encode(), content_type="text/csv")
    assert maria_client.post("/imports/", {"file": upload}).status_code == 302
    batch = ImportBatch.objects.get()
    options = {
        "dedupe": "update-empty",
        "possible_duplicates": "skip",
        "unmapped": "ignore",
        "categories": "interests",
        "column_0": "given_name",
        "column_1": "family_name",
        "column_2": "email",
        "column_3": "organisation",
    }
    for run in ({"check": "1"}, {"run": "1"}):
        response = maria_client.post(f"/imports/{batch.pk}/", {**options, **run})
        jobs.run_imports(timezone.now())
        batch = ImportBatch.objects.get(pk=response["Location"].split("/")[-2])
        page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
        assert '<dd id="count-created">0</dd>' in page
        assert '<dd id="count-updated">1</dd>' in page
        assert "1 (1 possible duplicate)" in page
    assert _emails(zoe) == ["zoe@old.example", "zoe@new.example"]
