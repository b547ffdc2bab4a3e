"""Email and phone labels come back exactly from goodwill's own CSV and vCard exports: their
case, commas, semicolons, and words that are also vCard types ("text", "voice", "pref",
"Home, work") or a fax's ("Home fax") inside a longer label. Other address books' labels are
read as before (``test_vcard_fixes_labels``, ``test_parse_vcard``, ``test_parse_csv``)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import vobject
from django.core.management import call_command

from goodwill.people.models import Person, PersonEmail, PersonPhone
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

EMAILS = {
    "a@example.org": "Home, work",
    "b@example.org": "internet",
    "c@example.org": "pref",
    "d@example.org": "x-custom",
    "e@example.org": "Home",
    "f@example.org": "other",
}
PHONES = {
    "+19025550101": "Home fax",
    "+19025550102": "text",
    "+19025550103": "mobile;cell",
    "+19025550104": "Business, 2nd",
    "+19025550105": "Front desk; ext 2",
    "+19025550106": "voice",
    "+19025550107": "pref",
    "+19025550108": "x-custom",
    "+19025550109": "Mobile",
    "+19025550110": "cell",
    "+19025550111": "Business",
    "+19025550112": "mobile",
    "+19025550113": "",  # no label, last in the CSV's shared cell ("… ::: mobile ::: ")
}


@pytest.fixture
def ann() -> Person:
    """One person whose labels were set without goodwill's forms (as the auditor did)."""
    ann = make_person(given_name="Ann", family_name="Lee", emails=list(EMAILS), phones=list(PHONES))
    for email, label in EMAILS.items():
        PersonEmail.objects.filter(person=ann, email=email).update(label=label)
    for e164, label in PHONES.items():
        PersonPhone.objects.filter(person=ann, e164=e164).update(label=label)
    return ann


def _round_trip(fmt: str, tmp_path: Path) -> Person:
    """Export everyone with ``goodwill export``, empty the database, ``goodwill import`` the file
    and give back the one person it created."""
    path = tmp_path / ("people.csv" if fmt == "csv" else "people.vcf")
    call_command("export", "--format", fmt, "--output", str(path), stderr=io.StringIO())
    Person.objects.all().delete()
    call_command("import", str(path), "--json", stdout=io.StringIO(), stderr=io.StringIO())
    return Person.objects.get()


def _labels(person: Person) -> tuple[dict[str, str], dict[str, str], str, str]:
    """Each email's and phone's label, and the primary email and phone."""
    emails = person.emails.all()
    phones = person.phones.all()
    return (
        {e.email: e.label for e in emails},
        {p.e164: p.label for p in phones},
        next(e.email for e in emails if e.is_primary),
        next(p.e164 for p in phones if p.is_primary),
    )


@pytest.mark.parametrize("fmt", ["csv", "vcard"])
def test_labels_come_back_exactly_from_goodwills_own_export(fmt, ann, tmp_path):
    before = _labels(ann)

    after = _labels(_round_trip(fmt, tmp_path))

    assert after == before
    assert after[:2] == (EMAILS, PHONES)


def test_vobject_reads_the_card_and_its_labels(ann):
    out = io.StringIO()
    call_command("export", "--format", "vcard", stdout=out)

    [card] = vobject.readComponents(out.getvalue())

    types = {t.value: t.params.get("TYPE") for t in card.contents["tel"]}
    assert types["tel:+19025550104"] == ["Business, 2nd"]
    assert types["tel:+19025550101"] == ["Home fax"]
    assert types["tel:+19025550109"] == ["cell"]  # other address books still see a mobile
    labels = {e.value: e.params.get("X-GOODWILL-LABEL") for e in card.contents["email"]}
    assert labels["a@example.org"] == ["Home, work"]
    assert labels["c@example.org"] == ["pref"]


def test_other_address_books_labels_are_read_as_before(tmp_path, db):
    """An Android card's standard types and a Google CSV's "* Home" keep their meaning."""
    card = tmp_path / "android.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Lee\r\nN:Lee;Bo;;;\r\n"
        "TEL;TYPE=CELL,VOICE,pref:+1 902 555 0121\r\n"
        "TEL;TYPE=WORK;TYPE=VOICE:+1 902 555 0122\r\n"
        "EMAIL;TYPE=INTERNET,HOME:bo@example.org\r\n"
        'TEL;TYPE="Front desk, 2nd floor":+1 902 555 0123\r\n'
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "google.csv"
    sheet.write_text(
        "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
        "Cy,Lee,* Home,cy@example.org,Home Fax,+1 902 555 0131\n",
        encoding="utf-8",
    )

    for path in (card, sheet):
        call_command("import", str(path), "--json", stdout=io.StringIO(), stderr=io.StringIO())

    bo, cy = Person.objects.order_by("given_name")
    assert _labels(bo)[:2] == (
        {"bo@example.org": "home"},
        {"+19025550121": "mobile", "+19025550122": "work", "+19025550123": "Front desk, 2nd floor"},
    )
    assert _labels(cy)[:2] == ({"cy@example.org": "home"}, {"+19025550131": "fax"})
