"""Addresses that a row would give the person it updates while another person holds them.

A good address book does not give one person another's email: what is sent to one would reach
the other, and a later row with that address would find either of them. So a row that updates
someone (matched by another email, a phone or their name) is imported without an email that
someone else holds (a stored person, or another person of the same file), and the cell is
listed as a warning naming that person. The address is kept with its warning (``held_emails``)
so that the warning keeps a trace of it (``owners``): erasing the one who holds it removes that
warning too. Phones are not checked: people share a landline or a switchboard, and the import
itself never joins two people with their own addresses by a phone.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from goodwill.exchange.importer.dry_run import Earlier
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import Stored
from goodwill.exchange.parse.records import RowError

IN_FILE = 0  # the holder is a person this file creates: they have no id yet


def held_leave_out(
    row: ImportRow,
    target: ImportRow | Stored | None,
    person: int | None,
    email_holders: dict[str, list[int]],
    by_email: Mapping[str, ImportRow | Stored],
    prior: Earlier | None,
) -> None:
    """Leave out of a row that updates ``target`` (or a dry run's earlier chunks' ``person``)
    each email that person lacks and another holds: someone stored (``email_holders``), a
    person of this chunk so far (``by_email``: the file's rows and the people they update), or
    (a dry run) one its earlier chunks would have stored; each with a warning."""
    if target is None:
        found = prior.people.get(person) if prior is not None and person is not None else None
        pk, theirs = person, found.emails if found is not None else []
    else:
        pk, theirs = (target.pk if isinstance(target, Stored) else None), target.emails

    def holder(email: str) -> int | None:
        if others := [h for h in email_holders.get(email, []) if h != pk]:
            return others[0]
        other = by_email.get(email)
        if other is not None and other is not target:
            if not isinstance(other, Stored):
                return IN_FILE
            if other.pk != pk:
                return max(other.pk, IN_FILE)
        found = prior.holder(email) if prior is not None else None
        return max(found, IN_FILE) if found is not None and found != pk else None

    for email in [e for e in row.emails if e not in theirs]:
        if (other := holder(email)) is not None:
            _leave_out(row, email, other)


def _leave_out(row: ImportRow, email: str, other: int) -> None:
    """Take ``email`` out of ``row``, with a warning naming its holder ``other``."""
    row.emails.remove(email)
    row.email_labels.pop(email, None)
    who = _("person %(id)s") % {"id": other} if other > 0 else _("a row earlier in this file")
    message = _("%(value)s is another person's email (%(who)s); imported without it.")
    column = row.email_columns.get(email) or "email"
    warning = RowError(row.line, column, message % {"value": email, "who": who})
    row.held_emails[email] = warning
    row.warnings.append(warning)
