"""Email and phone labels with a comma, a double quote, a caret or a line break come back whole
from goodwill's own vCard (RFC 6868 parameter values), and other address books' quoted lists
of standard types (``TYPE="work,voice"``) are still read as those types."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.tests.export_world import export_text
from goodwill.people.models import Person
from goodwill.people.services.persons import person_update
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

LABELS = {
    "eve@desk.example": "Office, 2nd",
    "+19025550199": 'Büro "x"',
    "+19025550198": "Desk ^2\nback door",
}


@pytest.fixture
def eve() -> Person:
    eve = make_person(given_name="Eve", family_name="Moreau", emails=["eve@example.com"])
    person_update(
        actor=None,
        person=eve,
        emails=["eve@example.com", "eve@desk.example"],
        phones=["+1 902 555 0199", "+1 902 555 0198"],
        labels=LABELS,
    )
    return eve


def _import(tmp_path: Path, text: str, actor: User) -> ImportBatch:
    path = tmp_path / "people.vcf"
    path.write_text(text, "utf-8")
    return import_run(actor=actor, path=path)


def _contacts(person: Person) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    emails = person.emails.order_by("-is_primary", "id").values_list("email", "label")
    phones = person.phones.order_by("-is_primary", "id").values_list("e164", "label")
    return list(emails), list(phones)


def test_labels_with_commas_quotes_carets_and_line_breaks_come_back(tmp_path, maria, eve):
    text = export_text("vcard")
    assert 'EMAIL;TYPE="Office, 2nd":eve@desk.example\r\n' in text
    assert "TEL;VALUE=uri;TYPE=\"Büro ^'x^'\";PREF=1:tel:+19025550199\r\n" in text
    assert 'TEL;VALUE=uri;TYPE="Desk ^^2^nback door":tel:+19025550198\r\n' in text
    Person.objects.all().delete()

    batch = _import(tmp_path, text, maria)

    assert (batch.created, batch.errors, batch.warning_count) == (1, [], 0)
    assert _contacts(Person.objects.get()) == (
        [("eve@example.com", ""), ("eve@desk.example", "Office, 2nd")],
        [("+19025550199", 'Büro "x"'), ("+19025550198", "Desk ^2\nback door")],
    )


def test_vobject_reads_the_exported_labels(eve):
    [card] = vobject.readComponents(export_text("vcard"))
    assert [e.params.get("TYPE") for e in card.contents["email"]] == [None, ["Office, 2nd"]]
    # vobject leaves RFC 6868's escapes as they are written.
    assert [t.params.get("TYPE") for t in card.contents["tel"]] == [
        ["Büro ^'x^'"],
        ["Desk ^^2^nback door"],
    ]


def test_other_address_books_quoted_type_lists_and_escaped_labels(tmp_path, maria):
    card = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:4.0",
            "FN:Ann Harris",
            'TEL;TYPE="voice,home";PREF=1:tel:+1-902-555-0101',
            'TEL;TYPE="WORK,FAX":+1 902 555 0102',
            "TEL;TYPE=\"Caf^'e^' ^1, back\":+1 902 555 0103",
            'EMAIL;TYPE="HOME,INTERNET":ann@example.com',
            'EMAIL;TYPE="Front desk, 2nd floor":desk@example.com',
            "END:VCARD",
            "",
        ]
    )

    batch = _import(tmp_path, card, maria)

    assert (batch.created, batch.errors) == (1, [])
    assert _contacts(Person.objects.get()) == (
        [("ann@example.com", "home"), ("desk@example.com", "Front desk, 2nd floor")],
        [
            ("+19025550101", "home"),
            ("+19025550102", "fax"),
            ("+19025550103", 'Caf"e" ^1, back'),
        ],
    )
