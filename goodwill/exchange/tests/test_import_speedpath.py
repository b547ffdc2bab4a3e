"""The importer's lean write path: labels stored, the same derived keys and search hits as the
one-by-one services, fresh ids after deletions, occasions and interests as before."""

from __future__ import annotations

from pathlib import Path

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.importer import import_run
from goodwill.occasions.models import Occasion
from goodwill.people.models import FactSource, Interest, Person, PersonEmail, PersonPhone
from goodwill.people.selectors import person_search
from goodwill.people.services import person_create, person_delete

HEADER = (
    "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Birthday,Organization Name,Labels\n"
)
DERIVED = ["sort_key", "family_key", "search_doc", "primary_email", "primary_phone"]


def _csv(tmp_path: Path, *rows: str, name: str = "guests.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_it_stores_the_labels_of_new_peoples_emails_and_phones(tmp_path: Path, maria: User) -> None:
    path = _csv(tmp_path, "Ann,Lee,Work,ann@example.com,Mobile,+1 902 555 0101,,,")

    import_run(actor=maria, path=path)

    assert [label.casefold() for label in PersonEmail.objects.values_list("label", flat=True)] == [
        "work"
    ]
    assert [label.casefold() for label in PersonPhone.objects.values_list("label", flat=True)] == [
        "mobile"
    ]


def test_it_stores_the_labels_of_contacts_added_to_a_matched_person(
    tmp_path: Path, maria: User
) -> None:
    import_run(actor=maria, path=_csv(tmp_path, "Ann,Lee,,ann@example.com,,,,,"))

    again = _csv(tmp_path, "Ann,Lee,Home,ann@example.com,Work,+1 902 555 0101,,,", name="b.csv")
    batch = import_run(actor=maria, path=again)

    assert (batch.created, batch.updated) == (0, 1)
    assert list(PersonEmail.objects.values_list("email", "label")) == [("ann@example.com", "")]
    assert [
        (e, label.casefold()) for e, label in PersonPhone.objects.values_list("e164", "label")
    ] == [("+19025550101", "work")]


def test_imported_people_have_the_derived_keys_of_service_created_ones(
    tmp_path: Path, maria: User
) -> None:
    path = _csv(tmp_path, "Zoë,Côté,,Zoe@Example.COM,,(902) 555-0142,,Fundy Shore,")
    import_run(actor=maria, path=path)
    imported = Person.objects.get()
    made = person_create(
        actor=maria,
        given_name="Zoë",
        family_name="Côté",
        emails=["Zoe@Example.COM"],
        phones=["(902) 555-0142"],
    ).person

    imported_keys = {n: getattr(imported, n) for n in DERIVED}
    made.refresh_from_db()
    assert imported_keys == {
        **{n: getattr(made, n) for n in DERIVED},
        "search_doc": made.search_doc + " | fundy shore",
    }
    assert (imported.source, imported.created_by_id) == (FactSource.IMPORTED, maria.pk)


def test_imported_people_are_found_by_search(tmp_path: Path, maria: User) -> None:
    import_run(actor=maria, path=_csv(tmp_path, "Ann,Leblanc,,ann@example.com,,,,Fundy Shore,"))

    for q in ("leblanc", "ann@example", "fundy", "nn leb"):
        assert [p.full_name for p in person_search(user=maria, q=q).items] == ["Ann Leblanc"], q


def test_new_people_never_take_the_id_of_a_deleted_one(
    tmp_path: Path, maria: User, alice: User
) -> None:
    gone = person_create(actor=maria, given_name="Gone").person
    gone_id = gone.pk
    person_delete(actor=alice, person=gone)

    import_run(actor=maria, path=_csv(tmp_path, "Ann,Lee,,,,,,,"))

    assert Person.objects.get().pk > gone_id


def test_it_writes_birthdays_interests_and_one_audit_entry_per_chunk(
    tmp_path: Path, maria: User
) -> None:
    rows = [f"P{i},Lee,,p{i}@example.com,,,1980-04-1{i},,Guests ::: Cyclists" for i in range(5)]

    import_run(actor=maria, path=_csv(tmp_path, *rows), chunk=2)

    assert sorted(Occasion.objects.values_list("day", "source")) == [
        (10 + i, "imported") for i in range(5)
    ]
    assert dict(Interest.objects.values_list("key", "people_count")) == {
        "guests": 5,
        "cyclists": 5,
    }
    assert AuditEntry.objects.filter(action="import.chunk").count() == 3
