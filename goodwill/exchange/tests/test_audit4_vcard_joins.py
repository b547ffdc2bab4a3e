"""vCard files joined end to end import every card of each, as its own person: a first file
without a final line break (``END:VCARDBEGIN:VCARD``) never merges two people into one, and a
byte order mark that began the second file (UTF-8 or UTF-16) never loses its first card. A
vCard 2.1 AGENT's own card, written inside the card that holds it, is skipped: the card is
imported whole, the AGENT's card is not imported in its place, and a warning says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

ANN = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:One;Ann;;;\r\nFN:Ann One\r\n"
ANN += "EMAIL:ann@example.com\r\nEND:VCARD\r\n"
BOB = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Two;Bob;;;\r\nFN:Bob Two\r\n"
BOB += "EMAIL:bob@example.com\r\nEND:VCARD\r\n"
BOM = b"\xef\xbb\xbf"


def _import(tmp_path: Path, data: bytes, actor: User) -> ImportBatch:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(data)
    return import_run(actor=actor, path=path)


def _people() -> list[tuple[str, str, list[str]]]:
    return [
        (p.given_name, p.family_name, sorted(p.emails.values_list("email", flat=True)))
        for p in Person.objects.order_by("given_name")
    ]


BOTH = [("Ann", "One", ["ann@example.com"]), ("Bob", "Two", ["bob@example.com"])]


def test_a_first_file_without_a_final_line_break_does_not_merge_two_people(tmp_path, maria):
    batch = _import(tmp_path, ANN.encode()[:-2] + BOB.encode(), maria)

    assert (batch.created, batch.errors, batch.warnings) == (2, [], [])
    assert _people() == BOTH


def test_a_first_file_without_a_line_break_before_a_second_files_bom(tmp_path, maria):
    batch = _import(tmp_path, BOM + ANN.encode()[:-2] + BOM + BOB.encode(), maria)

    assert (batch.created, batch.errors) == (2, [])
    assert _people() == BOTH


@pytest.mark.parametrize(
    "data",
    [
        BOM + ANN.encode() + BOM + BOB.encode(),
        ANN.encode("utf-16") + BOB.encode("utf-16"),
        ANN.encode("utf-16-le") + "\ufeff".encode("utf-16-le") + BOB.encode("utf-16-le"),
    ],
    ids=["utf-8-bom", "utf-16", "utf-16-le"],
)
def test_the_second_files_byte_order_mark_does_not_lose_its_first_card(tmp_path, maria, data):
    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors, batch.warnings) == (2, [], [])
    assert _people() == BOTH


def test_a_line_outside_any_card_is_still_reported_after_joined_files(tmp_path, maria):
    data = ANN.encode()[:-2] + BOB.encode() + b"NOTE:stray\r\n"

    batch = _import(tmp_path, data, maria)

    assert batch.created == 2
    assert [(e["line"], e["message"]) for e in batch.errors] == [
        (12, "This line is not inside a BEGIN:VCARD … END:VCARD card.")
    ]


BETTY = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Boss;Betty\r\nFN:Betty Boss\r\n"
    "EMAIL;INTERNET:betty@example.com\r\n{agent}"
    "VERSION:2.1\r\nN:Assistant;Al\r\nFN:Al Assistant\r\nTEL;WORK:+1 902 555 0144\r\nEND:VCARD\r\n"
    "TITLE:CEO\r\nORG:BossCo\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Next;Nora\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(
    ("agent", "last"),
    [
        ("AGENT:\r\nBEGIN:VCARD\r\n", 12),  # vCard 2.1's own example
        ("AGENT;TYPE=assistant:\r\nBEGIN:VCARD\r\n", 12),
        ("AGENT:BEGIN:VCARD\r\n", 11),  # the AGENT's card begins on its own line
    ],
    ids=["agent-line", "agent-params", "agent-begin"],
)
def test_an_agents_own_card_is_skipped_and_its_card_imported_whole(tmp_path, maria, agent, last):
    batch = _import(tmp_path, BETTY.format(agent=agent).encode(), maria)

    assert (batch.created, batch.errors) == (2, [])
    assert sorted(Person.objects.values_list("given_name", "family_name")) == [
        ("Betty", "Boss"),
        ("Nora", "Next"),
    ]
    betty = Person.objects.get(given_name="Betty")
    assert list(betty.emails.values_list("email", flat=True)) == ["betty@example.com"]
    assert list(betty.memberships.values_list("organisation__name", "job_title")) == [
        ("BossCo", "CEO")
    ]
    assert not betty.phones.exists()
    first = 7 if last == 12 else 6
    assert [(w["column"], w["message"]) for w in batch.warnings] == [
        (
            "AGENT",
            f"Line 6 is an AGENT: the card inside it (lines {first} to {last}) is not imported "
            "as a person; imported without it.",
        )
    ]


def test_an_agent_written_as_one_escaped_value_is_left_out_as_before(tmp_path, maria):
    """vCard 3.0 writes the AGENT's card as one value, its line breaks escaped."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Boss;Betty;;;\r\nFN:Betty Boss\r\n"
        "AGENT:BEGIN:VCARD\\nFN:Al Assistant\\nTEL:+1-902-555-0144\\nEND:VCARD\\n\r\n"
        "EMAIL:betty@example.com\r\nEND:VCARD\r\n"
    )

    batch = _import(tmp_path, card.encode(), maria)

    assert (batch.created, batch.errors, batch.warnings) == (1, [], [])
    assert _people() == [("Betty", "Boss", ["betty@example.com"])]
