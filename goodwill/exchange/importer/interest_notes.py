"""An interest's own note from goodwill's vCard (``X-GOODWILL-NOTE;X-GOODWILL-INTEREST=…``),
written with the interest when the import adds it: to the people a chunk creates in bulk (they
get their interests with the others, noted with the import, then each its own note: one
``executemany`` a chunk, with one ``person_interest.bulk_note`` audit entry that counts them),
or, through the interests service, to a person it updates. An interest the person has already
keeps its note, as a date they have keeps its own: importing the file again changes nothing.
An interest without a note of its own is noted with its import.
"""

from __future__ import annotations

from django.db import transaction

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.exchange.importer.link_facts import rows_update
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import PersonInterest


def noted(row: ImportRow) -> dict[str, str]:
    """The notes the row's card gives its interests, by interest key (most give none)."""
    extras = row.extras
    return extras.interest_notes if extras is not None else {}


def notes_write(
    *, actor: User | None, batch: ImportBatch, people: list[tuple[int, ImportRow]]
) -> int:
    """Give the interests of the people just created (id, row) the notes their cards give
    them, in place of the import's; one audit entry on the batch counts them. Returns how many.
    """
    wanted = {(pk, key): note for pk, row in people for key, note in noted(row).items()}
    if not wanted:
        return 0
    require_role(actor, User.Role.STAFF)
    with transaction.atomic():
        stored = PersonInterest.objects.filter(
            person_id__in={pk for pk, _key in wanted},
            interest__key__in={key for _pk, key in wanted},
        ).values_list("id", "person_id", "interest__key")
        notes = sorted(
            (pk, wanted[person, key]) for pk, person, key in stored if (person, key) in wanted
        )
        rows_update(PersonInterest, ["note"], [(note, pk) for pk, note in notes])
        if notes:
            audit_record(
                actor=actor,
                action="person_interest.bulk_note",
                target=batch,
                changes={"notes": [None, len(notes)]},
            )
    return len(notes)
