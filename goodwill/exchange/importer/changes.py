"""What one row of an import adds to a person: the stored person's empty fields (or, to
overwrite, every field the row fills in, except with the same value in worse letter case:
``same_but_worse``) and the contacts, organisations, interests, roles, tags
and dates they do not have yet; interests, roles and tags are only ever added. The address is
one whole (``same_address``: never parts of two), and notes add up (``notes_added``). Pure: it
reads nothing, and writes only to the ``Stored`` it is given, so that a later row of the same
person sees what an earlier one added (a dry run counts with it too).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import (
    ADDRESS,
    OWN_FIELDS,
    Day,
    Stored,
    interest_keys,
    org_keys,
)
from goodwill.exchange.parse.records import RowError
from goodwill.occasions.bulk import OccasionRow
from goodwill.occasions.models import Occasion
from goodwill.people.normalize import interest_key, tag_key


@dataclass
class Changes:
    """What one row adds to a stored person."""

    scalars: dict[str, Any] = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)  # name, job title
    interests: list[str] = field(default_factory=list)
    occasions: list[OccasionRow] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    dislikes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    birthday: Day | None = None  # the stored birthday corrected: (month, day, year)

    def __bool__(self) -> bool:
        return bool(self.tags) or self.on_person()

    def on_person(self) -> bool:
        """Whether anything but tags changes (tags are written for the whole chunk at once)."""
        return bool(
            self.scalars
            or self.emails
            or self.phones
            or self.organisations
            or self.interests
            or self.occasions
            or self.roles
            or self.dislikes
            or self.birthday
        )


NO_EXTRAS: tuple[str, int | None] = ("", None)  # a date's own note and lead time: none


def occasion_rows(
    person_id: int | None, row: ImportRow, stored: Stored | None, note: str = ""
) -> list[OccasionRow]:
    """The birthday, anniversaries and custom dates of ``row`` that ``stored`` does not have yet
    (nor the row itself: ``known_dates`` says when two are the same occasion), each with its
    own note and lead time when the file gives them (goodwill's vCard), else noted with
    ``note`` (where they come from)."""
    out: list[OccasionRow] = []
    if row.birthday and not (stored and stored.birthday):
        b = row.birthday
        own, lead = row.date_extras.get(("birthday", "", b), NO_EXTRAS)
        out.append(
            OccasionRow(
                Occasion.Kind.BIRTHDAY,
                b.month,
                b.day,
                b.year,
                person_id=person_id,
                note=own or note,
                lead_days=lead,
            )
        )
    if not row.anniversaries and not row.custom_dates:
        return out
    known = stored.anniversaries.copy() if stored else KnownDates()
    dated = [(Occasion.Kind.ANNIVERSARY, label, d) for label, d in row.anniversaries]
    dated += [(Occasion.Kind.CUSTOM, label, d) for label, d in row.custom_dates]
    for kind, label, d in dated:
        if known.has(kind, label, d.month, d.day, d.year):
            continue
        known.add(kind, label, d.month, d.day, d.year)
        own, lead = row.date_extras.get((kind, label, d), NO_EXTRAS)
        out.append(
            OccasionRow(
                kind,
                d.month,
                d.day,
                d.year,
                person_id=person_id,
                label=label,
                note=own or note,
                lead_days=lead,
            )
        )
    return out


def changes_for(stored: Stored, row: ImportRow, *, overwrite: bool) -> Changes:
    """What ``row`` would change on ``stored`` (empty fields only, or ``overwrite``); applies the
    change to ``stored`` in memory so that a later row of the same person sees it."""
    changes = Changes()
    for name in OWN_FIELDS:
        if row.name_guessed and name in ("given_name", "family_name"):
            continue
        new, old = row.values[name], stored.values[name]
        if new and new != old and (overwrite or not old) and not same_but_worse(new, old):
            changes.scalars[name] = new
    _address_change(changes, stored, row, overwrite=overwrite)
    if row.notes and (notes := notes_added(stored.values["notes"], row.notes)) is not None:
        changes.scalars["notes"] = notes
    changes.emails = [e for e in row.emails if e not in stored.emails]
    changes.phones = [p for p in row.phones if p not in stored.phones]
    changes.organisations = _new_organisations(stored, row, overwrite=overwrite)
    for name, ikey in zip(row.interests, interest_keys(row), strict=True):
        if ikey not in stored.interest_keys:
            changes.interests.append(name)
            stored.interest_keys.add(ikey)
    for name in row.dislikes:  # a stored like or dislike of the same interest stays
        if (ikey := interest_key(name)) not in stored.interest_keys:
            changes.dislikes.append(name)
            stored.interest_keys.add(ikey)
    changes.roles = [r for r in row.roles if r not in stored.roles]
    for name in row.tags:  # tags are added, never taken off
        if (key := tag_key(name)) not in stored.tag_keys:
            changes.tags.append(name)
            stored.tag_keys.add(key)
    changes.occasions = occasion_rows(stored.pk, row, stored)
    changes.birthday = _birthday_change(stored, row, overwrite=overwrite)
    if row.birthday and not stored.birthday:
        stored.birthday = row_day(row)
    stored.birthday = changes.birthday or stored.birthday
    for o in changes.occasions:  # what this row adds, for a later row of the same person
        if o.kind != Occasion.Kind.BIRTHDAY:
            stored.anniversaries.add(o.kind, o.label, o.month, o.day, o.year)
    return changes


def _address_change(changes: Changes, stored: Stored, row: ImportRow, *, overwrite: bool) -> None:
    """The row's address, one whole: parts the stored address lacks are filled in when the row's
    agrees with every part it holds (and, to overwrite, better letter case replaces worse); a
    different address replaces it only to ``overwrite`` (all its parts, the empty ones too),
    else it is left out with a warning: parts of two addresses never make a third."""
    new = [row.values[name] for name in ADDRESS]
    old = [stored.values[name] for name in ADDRESS]

    def pick(was: str, value: str) -> str:
        better = overwrite and _case_rank(value) > _case_rank(was)
        return value if value and (not was or better) else was

    parts = address_merged(new, old, pick)
    if parts is not None:
        changes.scalars.update(parts)
    elif overwrite:
        changes.scalars.update(
            (n, v) for n, v, was in zip(ADDRESS, new, old, strict=True) if v != was
        )
    else:
        message = _("The address %(new)s differs from the stored one; kept the stored address.")
        warning = RowError(row.line, "address", message % {"new": address_shown(new)})
        if warning not in row.warnings:
            row.warnings.append(warning)


def address_merged(
    new: list[str], old: list[str], pick: Callable[[str, str], str]
) -> dict[str, str] | None:
    """The parts of ``old`` (an address's ``ADDRESS`` parts) that ``new`` changes, each part as
    ``pick(was, value)`` keeps it, when the two are one address (``same_address``); None when
    they are two: the caller replaces it whole or leaves it out."""
    if new == old or not any(new):
        return {}
    if not same_address(new, old):
        return None
    parts = zip(ADDRESS, new, old, strict=True)
    return {name: kept for name, value, was in parts if (kept := pick(was, value)) != was}


def address_shown(parts: list[str]) -> str:
    """An address's parts on one line, for a warning."""
    return ", ".join(v for v in parts if v)


def same_address(new: list[str], old: list[str]) -> bool:
    """Whether two addresses (their ``ADDRESS`` parts) are one: every part both give agrees
    (letter case and spacing aside), and one gives all the parts the other does."""
    given, known = [_plain(v) for v in new], [_plain(v) for v in old]
    pairs = list(zip(given, known, strict=True))
    return all(not a or not b or a == b for a, b in pairs) and (
        all(a or not b for a, b in pairs) or all(b or not a for a, b in pairs)
    )


def _plain(value: str) -> str:
    """``value`` as two values are compared: letter case and spacing aside."""
    return " ".join(value.split()).casefold()


def notes_added(old: str, new: str) -> str | None:
    """The notes once ``new`` (a row's) is added to ``old`` (the stored ones), or None when
    they hold it already. Notes are never replaced (staff type them): the row's are added on
    a line of their own, unless they hold the stored ones whole (goodwill's own export, edited:
    nothing is lost). Held means each of its lines in whole words: "Tea" is not in "Prefers the
    steam room"."""
    kept = _plain(old)
    if all(_holds(kept, line) for line in new.splitlines()):
        return None
    if kept in _plain(new):
        return new if new != old else None
    return f"{old}\n{new}"


def _holds(text: str, line: str) -> bool:
    """Whether ``text`` (plain) holds ``line`` in whole words (letter case and spacing aside)."""
    plain = _plain(line)
    return not plain or re.search(rf"(?<!\w){re.escape(plain)}(?!\w)", text) is not None


def _case_rank(value: str) -> int:
    """How well ``value``'s letters are written: mixed case (2), capitals only (1), small
    letters only or none (0)."""
    upper, lower = value != value.lower(), value != value.upper()
    return 2 if upper and lower else int(upper)


def same_but_worse(new: str, old: str) -> bool:
    """Whether ``new`` is ``old`` in other letter case and no better written ("ann smith" for
    "Ann Smith"): an overwrite keeps ``old``, so two spellings of one person in a file never
    take turns, and importing the file again changes nothing."""
    return bool(old) and new.casefold() == old.casefold() and _case_rank(new) <= _case_rank(old)


def filled(old: str, new: str) -> str:
    """``old``, or ``new`` where ``old`` is empty or ``new`` is the same better written."""
    if not new or (old and (new.casefold() != old.casefold() or same_but_worse(new, old))):
        return old
    return new


def row_day(row: ImportRow) -> Day | None:
    b = row.birthday
    return (b.month, b.day, b.year) if b else None


def day_text(day: Day) -> str:
    """1980-01-02, or --01-02 without a year."""
    month, d, year = day
    return f"{year:04d}-{month:02d}-{d:02d}" if year else f"--{month:02d}-{d:02d}"


def _birthday_change(stored: Stored, row: ImportRow, *, overwrite: bool) -> Day | None:
    """The stored birthday as ``row`` corrects it: the year it lacked, or (``overwrite``) the
    row's other date. Another date that is not written is listed on the row: it is not lost
    without a word."""
    new, old = row_day(row), stored.birthday
    if new is None or old is None or new[:2] == old[:2] and new[2] in (None, old[2]):
        return None
    if overwrite or (new[:2] == old[:2] and old[2] is None):
        return new
    message = _("The birthday stored is %(old)s: %(new)s is left out (overwrite replaces it).")
    warning = RowError(
        row.line, row.birthday_column, message % {"old": day_text(old), "new": day_text(new)}
    )
    if warning not in row.warnings:
        row.warnings.append(warning)
    return None


def changes_stored(stored: Stored, changes: Changes, values: dict[str, Any] | None = None) -> None:
    """Record on ``stored`` the fields, contacts and roles ``changes`` wrote (``values``: the
    fields as the person holds them now, when they were written; a dry run takes the row's),
    so that a later row of the same person sees them (``changes_for`` records the rest)."""
    stored.values.update(changes.scalars if values is None else values)
    stored.emails += changes.emails
    stored.phones += changes.phones
    stored.roles += changes.roles


def _new_organisations(stored: Stored, row: ImportRow, *, overwrite: bool) -> list[tuple[str, str]]:
    """The row's organisations the person is not in yet (and marks them as theirs). Without
    ``overwrite`` only for someone in none of them yet or in one the row names too: the others
    the row names are then where else they work, not another employer instead."""
    keys = org_keys(row)
    if not keys or (stored.org_keys and not overwrite and stored.org_keys.isdisjoint(keys)):
        return []
    added = []
    for key, (name, title) in zip(keys, row.memberships(), strict=True):
        if key not in stored.org_keys:
            stored.org_keys.add(key)
            added.append((name, title))
    return added
