"""A row of goodwill's own export names the person it was exported from: the CSV's
"Goodwill ID" (their id) and the vCard's ``UID`` (``export.vcard.person_uid``). A stored person
of the row's exact name (the folded name key) whom it names is the row's person, as an email
they hold would find them: someone with only a name is then updated from their own export, not
a possible duplicate of themselves. The name must be theirs, so that another site's export,
whose ids mean other people, never updates a stranger.
"""

from __future__ import annotations

from collections.abc import Iterable

from goodwill.exchange.export.vcard import person_uid
from goodwill.exchange.importer.related import uid_key
from goodwill.exchange.importer.rows import ImportRow


def own_id(row: ImportRow) -> str:
    """The row's "Goodwill ID" (goodwill's CSV export), if it has one."""
    return row.goodwill_id


def own_uid(row: ImportRow) -> str:
    """The row's UID when it may be goodwill's: a name-based UUID (version 5), as
    ``person_uid`` makes; other address books' UIDs (random ones, or none) are not looked up."""
    uid = row.uid
    return uid if len(uid) == 36 and uid[14] == "5" else ""


def named_by_row(row: ImportRow, ids: Iterable[int]) -> int | None:
    """Of ``ids`` (stored people of the row's name), the one the row's own id or UID names."""
    goodwill_id, uid = own_id(row), own_uid(row)
    if not goodwill_id.isdigit() and not uid:
        return None
    for pk in ids:
        if str(pk) == goodwill_id or (uid and uid_key(person_uid(pk)) == uid):
            return pk
    return None
