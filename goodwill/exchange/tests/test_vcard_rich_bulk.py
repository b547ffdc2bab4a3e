"""goodwill's richest vCards (interests with notes, ties with since-dates and notes, shared
households) are written in bulk: what is stored is what the cards say, as before, with the
same warnings and sources, and the audit log gets one entry a chunk (interests' notes) or a
batch of ties or households that counts what it wrote, not one entry a fact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.importer import link_facts
from goodwill.exchange.importer.run import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Household, Interest, PersonInterest, Relationship

pytestmark = pytest.mark.django_db

COUNTS = ("state", "created", "updated", "unchanged", "skipped", "error_count", "warning_count")
# The entries a fact written one at a time used to add; the bulk path adds none of them.
ONE_A_FACT = (
    "person_interest.add",
    "person_interest.update",
    "relationship.update",
    "household.create",
    "household.add_member",
)
BULK = ("person_interest.bulk_note", "relationship.bulk_update", "household.bulk_join")


def _couple(c: int) -> str:
    """Ann{c} and Ben{c}: Ann's interests have notes (a like's and a dislike's), her RELATED
    gives the tie's since-date and notes, and both live in household ``home-{c}``. Ben2's own
    since-date is no date: left out with a warning."""
    home = f"X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=home-{c}:The Fam{c}s;{c} Elm St;Halifax;;;CA;"
    ann_since = f';X-GOODWILL-SINCE=2001050{c + 1};X-GOODWILL-NOTE="met at school {c}"'
    ben_since = ";X-GOODWILL-SINCE=2001-13-45" if c == 2 else ""
    return (
        f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:ann{c}\r\nFN:Ann{c} Fam\r\n"
        f"N:Fam;Ann{c};;;\r\nEMAIL:ann{c}@example.com\r\nCATEGORIES:Jazz,Opera\r\n"
        f"X-GOODWILL-DISLIKE:Cilantro\r\nRELATED;TYPE=spouse{ann_since}:urn:uuid:ben{c}\r\n"
        f"{home}\r\nX-GOODWILL-NOTE;X-GOODWILL-INTEREST=Jazz:loves Jazz {c}\r\n"
        f"X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Cilantro:soap {c}\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:ben{c}\r\nFN:Ben{c} Fam\r\n"
        f"N:Fam;Ben{c};;;\r\nEMAIL:ben{c}@example.com\r\nCATEGORIES:Golf\r\n"
        f"RELATED;TYPE=spouse{ben_since}:urn:uuid:ann{c}\r\n{home}\r\nEND:VCARD\r\n"
    )


RICH = "".join(_couple(c) for c in range(3))


def _import(tmp_path: Path, actor: User, **options: Any) -> ImportBatch:
    path = tmp_path / "rich.vcf"
    path.write_text(RICH, "utf-8")
    return import_run(actor=actor, path=path, chunk=2, **options)


def _interests() -> list[tuple[Any, ...]]:
    rows = PersonInterest.objects.values_list(
        "person__given_name", "interest__name", "attitude", "source", "note", "noted_by__email"
    )
    return sorted(rows)


def _expected_interests(detail: str) -> list[tuple[Any, ...]]:
    by = "maria@example.com"
    rows = []
    for c in range(3):
        rows += [
            (f"Ann{c}", "Cilantro", "dislikes", "imported", f"soap {c}", by),
            (f"Ann{c}", "Jazz", "likes", "imported", f"loves Jazz {c}", by),
            (f"Ann{c}", "Opera", "likes", "imported", detail, by),
            (f"Ben{c}", "Golf", "likes", "imported", detail, by),
        ]
    return sorted(rows)


def _ties() -> list[tuple[Any, ...]]:
    rows = Relationship.objects.values_list(
        "from_person__given_name", "kind", "to_person__given_name", "since", "notes"
    )
    return sorted(rows)


def _homes() -> list[tuple[Any, ...]]:
    return sorted(
        (h.name, h.street, sorted(h.members.values_list("given_name", flat=True)))
        for h in Household.objects.all()
    )


def _entries(after: int = 0) -> list[tuple[Any, ...]]:
    """The bulk entries after ``after``: action, who, about what, and what they count."""
    rows = AuditEntry.objects.filter(id__gt=after, action__in=BULK).order_by("id")
    return [(e.action, e.actor_label, e.target_label, e.changes) for e in rows]


def test_rich_cards_are_stored_as_they_say_with_one_audit_entry_a_chunk(
    tmp_path: Path, maria: User
) -> None:
    batch = _import(tmp_path, maria)

    assert tuple(getattr(batch, f) for f in COUNTS) == ("done", 6, 0, 0, 0, 0, 1)
    assert [(w["line"], w["column"], w["message"]) for w in batch.warnings] == [
        (67, "RELATED", "2001-13-45 is not a since-date such as 20010505; imported without it.")
    ]
    detail = f"rich.vcf, import {batch.pk}"
    assert _interests() == _expected_interests(detail)
    assert dict(Interest.objects.values_list("name", "people_count")) == {
        "Cilantro": 0,
        "Golf": 3,
        "Jazz": 3,
        "Opera": 3,
    }
    assert _ties() == [
        (f"Ann{c}", "spouse", f"Ben{c}", dt.date(2001, 5, c + 1), f"met at school {c}")
        for c in range(3)
    ]
    assert _homes() == [(f"The Fam{c}s", f"{c} Elm St", [f"Ann{c}", f"Ben{c}"]) for c in range(3)]
    # One entry for each chunk's notes (a chunk is a couple here), then one for the ties and
    # one for the households, all on the import: none for each fact, none naming a person.
    by, chunk_notes = "maria@example.com", {"notes": [None, 2]}
    label = f"rich.vcf (batch {batch.pk})"
    assert _entries() == [
        ("person_interest.bulk_note", by, label, chunk_notes),
        ("person_interest.bulk_note", by, label, chunk_notes),
        ("person_interest.bulk_note", by, label, chunk_notes),
        (
            "relationship.bulk_update",
            by,
            label,
            {"relationships": [None, 3], "since": [None, 3], "notes": [None, 3]},
        ),
        ("household.bulk_join", by, label, {"households": [None, 3], "members": [None, 6]}),
    ]
    assert not AuditEntry.objects.filter(action__in=ONE_A_FACT).exists()

    # Importing the file again writes nothing, and adds nothing to the audit log but the
    # import's own bookkeeping.
    before, last = (_interests(), _ties(), _homes()), AuditEntry.objects.order_by("-id")[0].pk
    again = _import(tmp_path, maria)
    assert tuple(getattr(again, f) for f in COUNTS) == ("done", 0, 0, 6, 0, 0, 1)
    assert (_interests(), _ties(), _homes()) == before
    actions = AuditEntry.objects.filter(id__gt=last).values_list("action", flat=True)
    assert [a for a in actions if a.startswith(("person", "relationship", "household"))] == []


def test_ties_and_households_get_one_audit_entry_a_batch(
    tmp_path: Path, maria: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(link_facts, "BATCH", 2)

    _import(tmp_path, maria)

    counts = [(action, changes) for action, _by, _label, changes in _entries()]
    assert counts[3:] == [
        (
            "relationship.bulk_update",
            {"relationships": [None, 2], "since": [None, 2], "notes": [None, 2]},
        ),
        (
            "relationship.bulk_update",
            {"relationships": [None, 1], "since": [None, 1], "notes": [None, 1]},
        ),
        ("household.bulk_join", {"households": [None, 2], "members": [None, 4]}),
        ("household.bulk_join", {"households": [None, 1], "members": [None, 2]}),
    ]
    assert len(_homes()) == 3
