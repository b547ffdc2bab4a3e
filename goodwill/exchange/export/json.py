"""People as one JSON array, streamed: an object per person with every fact we hold about them.

Each occasion carries its own reminder lead time (``lead_days``; null: the kind's default) and
note, the couple's wedding anniversary too; each relationship names the other person (id and
name, whether the export holds them or not) and what they are to this one, in the kinds the API
takes (``child``: the other is their child; ``referred``: the other referred them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from goodwill.exchange.export.households import FIELDS, HOUSEHOLD_ID, household_rows
from goodwill.exchange.export.selectors import Chunk, Row, date_value, iso


def _occasions(pid: int, chunk: Chunk) -> list[dict[str, Any]]:
    """The person's own dates, then the weddings they share with a spouse."""
    out: list[dict[str, Any]] = [
        {
            "kind": kind,
            "label": label,
            "date": date_value(year, month, day),
            "year": year,
            "month": month,
            "day": day,
            "source": source,
            "note": note,
            "lead_days": lead,
        }
        for _pid, kind, label, year, month, day, source, note, lead in chunk.occasions.get(pid, [])
    ]
    out += [
        {
            "kind": "wedding_anniversary",
            "date": date_value(year, month, day),
            "year": year,
            "month": month,
            "day": day,
            "spouse_id": spouse,
            "note": note,
            "lead_days": lead,
        }
        for spouse, year, month, day, note, lead in chunk.weddings.get(pid, [])
    ]
    return out


def _relationships(pid: int, chunk: Chunk) -> list[dict[str, Any]]:
    """Each tie, with what the other person is to this one, in the order they were made."""
    return [
        {
            "kind": kind,
            "custom_label": label,
            "other_person_id": other,
            "other_person": " ".join(part for part in (given, family) if part),
            "since": since.isoformat() if since else None,
            "notes": notes,
        }
        for _pid, kind, label, other, given, family, since, notes in chunk.ties.get(pid, [])
    ]


def _household(person: Row, households: dict[int, Row]) -> dict[str, Any] | None:
    """The household ``person`` lives in: its id and UID (the same in every export), name,
    shared address and notes (None: none)."""
    found = households.get(person[HOUSEHOLD_ID]) if person[HOUSEHOLD_ID] is not None else None
    if found is None:
        return None
    name, *address, notes, uid = found
    return {
        "id": person[HOUSEHOLD_ID],
        "uid": uid,
        "name": name,
        "address": dict(zip(FIELDS[1:-1], address, strict=True)),
        "notes": notes,
    }


def person_object(
    person: Row, chunk: Chunk, households: dict[int, Row] | None = None
) -> dict[str, Any]:
    """One person and their facts as plain JSON values; ``households``: those of the chunk
    (``household_rows(…, with_uid=True)``), read for this person when not given."""
    pid = person[0]
    households = household_rows([person], with_uid=True) if households is None else households
    return {
        "id": pid,
        "given_name": person[1],
        "family_name": person[2],
        "preferred_name": person[3],
        "emails": [
            {"email": e, "label": label, "primary": p, "source": src, "source_detail": detail}
            for _pid, e, label, p, src, detail in chunk.emails.get(pid, [])
        ],
        "phones": [
            {"e164": e, "label": label, "primary": p, "source": src, "source_detail": detail}
            for _pid, e, label, p, src, detail in chunk.phones.get(pid, [])
        ],
        "address": dict(
            zip(
                ("street", "locality", "region", "postal_code", "country"), person[4:9], strict=True
            )
        ),
        "language": person[9],
        "time_zone": person[10],
        "notes": person[11],
        "source": person[12],
        "household_id": person[13],
        "household": _household(person, households),
        "roles": [r[1] for r in chunk.roles.get(pid, [])],
        "organisations": [
            {"id": oid, "name": name, "job_title": title, "source": src, "source_detail": detail}
            for _pid, oid, name, title, src, detail in chunk.organisations.get(pid, [])
        ],
        "interests": [
            {"name": name, "attitude": att, "source": src, "note": note, "noted_at": iso(at)}
            for _pid, name, att, src, note, at in chunk.interests.get(pid, [])
        ],
        "tags": [
            {"name": name, "source": src, "source_detail": detail, "added_at": iso(at)}
            for _pid, name, src, detail, at in chunk.tags.get(pid, [])
        ],
        "occasions": _occasions(pid, chunk),
        "relationships": _relationships(pid, chunk),
        "archived_at": iso(person[14]),
        "created_at": iso(person[15]),
        "updated_at": iso(person[16]),
    }


JSON_HEAD, JSON_TAIL = "[", "\n]\n"


def json_chunk(chunk: Chunk) -> str:
    """One chunk's people, an object a line, comma-separated (no comma before the first)."""
    households = household_rows(chunk.people, with_uid=True)
    return ",\n".join(
        json.dumps(person_object(person, chunk, households)) for person in chunk.people
    )


def json_join(body: str, *, first: bool) -> str:
    """A chunk's text as it follows the ones before it in the array."""
    return ("\n" if first else ",\n") + body


def json_stream(chunks: Iterable[Chunk]) -> Iterator[str]:
    """``[`` then one object a line, comma-separated, then ``]``: valid JSON at any size."""
    first = True
    yield JSON_HEAD
    for chunk in chunks:
        body = json_chunk(chunk)
        if body:
            yield json_join(body, first=first)
            first = False
    yield JSON_TAIL
