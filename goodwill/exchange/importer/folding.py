"""Folding a later row of a person the file creates into the earlier one: what it adds (empty
fields, new contacts, organisations, interests, tags, dates, roles), as a stored person's
update would (``changes``): notes add up, and another address is left out with a warning."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goodwill.exchange.importer.changes import address_merged, address_shown, filled, notes_added
from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import ADDRESS, OWN_FIELDS, interest_keys
from goodwill.exchange.parse.records import RowError, YearlyDate
from goodwill.occasions.models import Occasion
from goodwill.people.normalize import fold, interest_key, tag_key


def _dates(dates: list[tuple[str, YearlyDate]]) -> tuple[tuple[str, int, int, int], ...]:
    return tuple(sorted((label, d.month, d.day, d.year or 0) for label, d in dates))


def facts_digest(row: ImportRow) -> int:
    """A hash of everything ``row`` would store (labels aside, as an update ignores them)."""
    b = row.birthday
    facts = (
        tuple(row.values.values()),
        row.notes,
        tuple(sorted(row.emails)),
        tuple(sorted(row.phones)),
        row.organisation,
        row.job_title,
        tuple(row.more_organisations),
        tuple(sorted(row.interests)),
        (b.month, b.day, b.year or 0) if b else None,
        _dates(row.anniversaries),
        _dates(row.custom_dates),
        tuple(sorted(row.roles)),
        tuple(sorted(row.dislikes)),
        tuple(sorted(tag_key(name) for name in row.tags)),  # "VIP" and "vip": one tag
    )
    return hash(facts)


def merge_into(target: ImportRow, row: ImportRow) -> bool:
    """Fold a later row of the file into an earlier new row for the same person: its values
    fill the earlier row's empty fields, and replace the same value in worse letter case
    (``filled``, as an overwrite does); whether it added anything (labels aside: an
    update does not count them either)."""
    before = facts_digest(target)
    for name in OWN_FIELDS:
        target.values[name] = filled(target.values[name], row.values[name])
    _merge_address(target, row)
    if row.notes and (notes := notes_added(target.notes, row.notes)) is not None:
        target.notes = notes  # notes add up, as on a stored person
    target.emails += [e for e in row.emails if e not in target.emails]
    target.phones += [p for p in row.phones if p not in target.phones]
    target.email_labels = {**row.email_labels, **target.email_labels}
    target.phone_labels = {**row.phone_labels, **target.phone_labels}
    target.organisation = target.organisation or row.organisation
    target.job_title = target.job_title or row.job_title
    known = {fold(name) for name, _title in target.memberships()}
    for name, title in row.memberships():
        if (key := fold(name)) not in known:
            known.add(key)
            target.more_organisations.append((name, title))
    target.interests += [i for i in row.interests if i not in target.interests]
    tagged = {tag_key(name) for name in target.tags}
    target.tags += [t for t in row.tags if tag_key(t) not in tagged]
    target.birthday = target.birthday or row.birthday
    _merge_dates(target, row)
    if row.date_extras:  # the earlier row's note of the same date wins
        target.date_extras = {**row.date_extras, **target.date_extras}
    target.roles += [r for r in row.roles if r not in target.roles]
    liked = set(interest_keys(target))  # a like of either row wins over a dislike
    both = dict.fromkeys([*target.dislikes, *row.dislikes])
    target.dislikes = [d for d in both if interest_key(d) not in liked]
    return facts_digest(target) != before


def _merge_address(target: ImportRow, row: ImportRow) -> None:
    """The later row's address fills in the earlier row's when they are one address (``changes``
    keeps an address whole); another address is left out with a warning."""
    new = [row.values[name] for name in ADDRESS]
    parts = address_merged(new, [target.values[name] for name in ADDRESS], filled)
    if parts is not None:
        target.values.update(parts)
        return
    message = _("The address %(new)s differs from the one on line %(line)s; kept that one.")
    shown = {"new": address_shown(new), "line": target.line}
    row.warnings.append(RowError(row.line, "address", message % shown))


def _merge_dates(target: ImportRow, row: ImportRow) -> None:
    """Add the later row's anniversaries and custom dates that are not the same occasion as one
    of the earlier row's (``known_dates``)."""
    pairs = [
        (Occasion.Kind.ANNIVERSARY, target.anniversaries, row.anniversaries),
        (Occasion.Kind.CUSTOM, target.custom_dates, row.custom_dates),
    ]
    known = KnownDates()
    for kind, dates, _more in pairs:
        for label, d in dates:
            known.add(kind, label, d.month, d.day, d.year)
    for kind, dates, more in pairs:
        for label, d in more:
            if not known.has(kind, label, d.month, d.day, d.year):
                known.add(kind, label, d.month, d.day, d.year)
                dates.append((label, d))
