"""Import files whose encoding shows late or goes wrong: accents only after the first 64 KiB
(Excel's Windows-1252 CSV, an old phone's vCard), bytes that are not text in a UTF-8 vCard, and
interests with a comma in their name, as goodwill's own vCard export escapes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.tests.export_world import export_text
from goodwill.people.models import Person, PersonInterest
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db

# Enough plain ASCII rows or cards to fill the first 64 KiB, which the encoding is found from.
PLAIN = 800
PADDING = "x" * 80
NOT_TEXT = "The row has bytes that are not text."


def _import(tmp_path: Path, name: str, data: bytes, actor: User) -> ImportBatch:
    path = tmp_path / name
    path.write_bytes(data)
    return import_run(actor=actor, path=path, dedupe="create")


def _names() -> list[tuple[str, str]]:
    return list(
        Person.objects.exclude(given_name__startswith="Ann").values_list(
            "given_name", "family_name"
        )
    )


def _interests(person: Person, attitude: str) -> list[str]:
    return sorted(
        person.interests.filter(attitude=attitude).values_list("interest__name", flat=True)
    )


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_csv_with_accents_only_after_64_kib_imports_them(tmp_path, maria, encoding):
    head = "Vorname;Nachname;Notizen\r\n"
    plain = "".join(f"Ann{i};Harris{i};{PADDING}\r\n" for i in range(PLAIN))
    accented = "Jürgen;Müller;Grüße\r\nZoë;Ångström;café\r\n"
    assert len((head + plain).encode()) > 64 * 1024

    batch = _import(tmp_path, "excel.csv", (head + plain + accented).encode(encoding), maria)

    assert (batch.state, batch.created, batch.errors) == ("done", PLAIN + 2, [])
    assert sorted(_names()) == [("Jürgen", "Müller"), ("Zoë", "Ångström")]
    assert Person.objects.get(family_name="Müller").notes == "Grüße"


def _card(*lines: str, version: str = "3.0") -> str:
    content = ("BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD")
    return "".join(f"{line}\r\n" for line in content)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_vcard_with_accents_only_after_64_kib_imports_them(tmp_path, maria, encoding):
    plain = "".join(
        _card(f"N:Harris{i};Ann{i};;;", f"FN:Ann{i} Harris{i}", f"NOTE:{PADDING}")
        for i in range(PLAIN)
    )
    accented = _card("N:Müller;Jürgen;;;", "FN:Jürgen Müller", "CATEGORIES:Käse")
    assert len(plain.encode()) > 64 * 1024

    batch = _import(tmp_path, "phone.vcf", (plain + accented).encode(encoding), maria)

    assert (batch.state, batch.created, batch.errors) == ("done", PLAIN + 1, [])
    assert _names() == [("Jürgen", "Müller")]
    assert _interests(Person.objects.get(family_name="Müller"), "likes") == ["Käse"]


def test_vcard_card_with_bytes_that_are_not_text_is_refused_alone(tmp_path, maria):
    data = (
        _card("N:One;Zoë;;;", "FN:Zoë One").encode()
        + _card("N:Two;B;;;", "EMAIL:b@example.com").encode()[: -len(b"END:VCARD\r\n")]
        + b"FN:B\xff\xfed Two\r\nEND:VCARD\r\n"
        + _card("N:Three;José;;;", "FN:José Three").encode()
    )

    batch = _import(tmp_path, "cards.vcf", data, maria)

    assert (batch.state, batch.created, batch.error_count) == ("done", 2, 1)
    assert batch.errors == [{"line": 10, "column": "FN", "message": NOT_TEXT}]
    assert sorted(_names()) == [("José", "Three"), ("Zoë", "One")]
    assert not Person.objects.filter(emails__email="b@example.com").exists()


def test_stray_bytes_after_64_kib_of_ascii_are_refused_and_later_utf8_kept(tmp_path, maria):
    plain = "".join(_card(f"N:Harris{i};Ann{i};;;", f"NOTE:{PADDING}") for i in range(PLAIN))
    data = (
        plain.encode()
        + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad \xff\xfe Two\r\nEND:VCARD\r\n"
        + plain.encode()  # the UTF-8 card below is far from the stray bytes
        + _card("N:Three;José;;;", "FN:José Three").encode()
    )
    damaged = plain.count("\n") + 3

    batch = _import(tmp_path, "cards.vcf", data, maria)

    assert (batch.created, batch.errors) == (
        2 * PLAIN + 1,
        [{"line": damaged, "column": "FN", "message": NOT_TEXT}],
    )
    assert _names() == [("José", "Three")]


@pytest.mark.parametrize("plain_before", [0, PLAIN])
def test_a_damaged_letter_in_a_utf8_csv_is_refused_and_later_accents_kept(
    tmp_path, maria, plain_before
):
    """A letter written "B\xffb" reads as Western text (Windows-1252 "Bÿb"), but later accents are
    UTF-8: that row is refused, the rest keeps its accents, near or far from it."""
    head = "First Name,Last Name,Notes\r\n"
    plain = "".join(f"Ann{i},Harris{i},{PADDING}\r\n" for i in range(PLAIN))
    data = (
        (head + plain[: len(plain) * plain_before // PLAIN]).encode()
        + b"B\xffb,Ray,\r\n"
        + plain.encode()  # the UTF-8 rows below are beyond the stray byte's 64 KiB
        + "José,Müller,Grüße\r\nZoë,Ñandú,\r\n".encode()
    )
    damaged = 2 + plain_before

    batch = _import(tmp_path, "guests.csv", data, maria)

    assert batch.errors == [{"line": damaged, "column": "First Name", "message": NOT_TEXT}]
    assert sorted(_names()) == [("José", "Müller"), ("Zoë", "Ñandú")]
    assert batch.created == PLAIN + plain_before + 2


def test_vcard_categories_with_an_escaped_comma_are_one_interest(tmp_path, maria):
    card = _card(
        "N:Moreau;Eve;;;",
        "CATEGORIES:jazz,rock\\, paper",
        "X-GOODWILL-DISLIKE:folk\\, country",
        "NICKNAME:Evie\\, the cook,E",
    )

    batch = _import(tmp_path, "eve.vcf", card.encode(), maria)

    assert (batch.created, batch.errors) == (1, [])
    eve = Person.objects.get()
    assert _interests(eve, PersonInterest.Attitude.LIKES) == ["jazz", "rock, paper"]
    assert _interests(eve, PersonInterest.Attitude.DISLIKES) == ["folk, country"]
    assert eve.preferred_name == "Evie, the cook"


def test_vcard_4_category_with_an_escaped_comma_alone_is_one_interest(tmp_path, maria):
    card = _card("N:Moreau;Eve;;;", "CATEGORIES:rock\\, paper", version="4.0")

    batch = _import(tmp_path, "eve.vcf", card.encode(), maria)

    assert (batch.created, batch.errors) == (1, [])
    assert _interests(Person.objects.get(), PersonInterest.Attitude.LIKES) == ["rock, paper"]


def test_vcard_export_brings_back_interests_with_commas(tmp_path, maria):
    eve = make_person(given_name="Eve", family_name="Moreau", preferred_name="Evie, the cook")
    give_interests(eve, "jazz", "rock, paper")
    give_interests(eve, "folk, country", "a\\b", attitude="dislikes")
    text = export_text("vcard")
    assert "CATEGORIES:jazz,rock\\, paper\r\n" in text
    Person.objects.all().delete()

    batch = _import(tmp_path, "export.vcf", text.encode(), maria)

    assert (batch.created, batch.errors, batch.warning_count) == (1, [], 0)
    eve = Person.objects.get()
    assert _interests(eve, PersonInterest.Attitude.LIKES) == ["jazz", "rock, paper"]
    assert _interests(eve, PersonInterest.Attitude.DISLIKES) == ["a\\b", "folk, country"]
    assert eve.preferred_name == "Evie, the cook"


def test_a_large_windows_1252_file_is_not_read_to_its_end_to_be_sure():
    """Telling Windows-1252 from damaged UTF-8 stops once its accents clearly are the former."""
    import io

    from goodwill.exchange.parse.detect import _utf8_overall

    data = ("Jürgen;Müller;Grüße\r\n" * 200_000).encode("cp1252")
    fh = io.BytesIO(data)
    assert _utf8_overall(fh, fh.read(64 * 1024)) is False
    assert fh.tell() < len(data) // 2
