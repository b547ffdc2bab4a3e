"""What goodwill's own vCard says about a person's ties, interests and household beyond the
person's facts, checked for the importer: each tie's since-date and notes (goodwill's
``X-GOODWILL-SINCE`` and ``X-GOODWILL-NOTE`` on a ``RELATED``), each interest's note
(``X-GOODWILL-NOTE;X-GOODWILL-INTEREST=…``) and the household (``X-GOODWILL-HOUSEHOLD``). Pure:
no database access.

They travel with the card's row (``CardExtras``, ``ImportRow.extras``, for a card with a
UID): the interests' notes are written with the interests (``interest_notes``), the
rest once the whole file is read (``links``). A since-date that is no date, a note too long to
store, a household without a UID or a name (or with a UID too long to store), and an address
part that cannot be stored are left out with a reason; the row is imported without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from goodwill.exchange.parse.dates import parse_vcard_date
from goodwill.exchange.parse.records import ContactRecord, HouseholdCard, Related
from goodwill.people.models import Household, PersonInterest
from goodwill.people.normalize import interest_key

# The property, why its value is left out, and the line that holds it (0: the property's first).
LeftOut = tuple[str, str, int]
_SHOWN = 40  # characters of a value a warning quotes
HOUSEHOLD_PARTS = ("street", "locality", "region", "postal_code", "country")
NOTE = "X-GOODWILL-NOTE"  # an interest's note; the reader keeps the line of each by interest


@dataclass(frozen=True, slots=True)
class TieFacts:
    """A tie's since-date and notes as a card gives them (None and "": not given)."""

    since: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """A household as a card gives it: its UID in the file, and its name, address and notes as
    ``household_create`` takes them."""

    uid: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class CardExtras:
    """What goodwill's card says beside its person's facts and the cards it names: each link's
    since-date and notes (``ties``, by link), the line of the ``RELATED`` that names each link
    (``lines``, for a warning about it), each interest's note (``interest_notes``, by interest
    key) and the household (``household``)."""

    ties: dict[tuple[str, str], TieFacts] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    interest_notes: dict[str, str] = field(default_factory=dict)
    household: HouseholdFacts | None = None

    def __bool__(self) -> bool:
        return bool(self.ties or self.lines or self.interest_notes or self.household)


def _shown(value: str) -> str:
    value = value.strip().replace("\n", " ")
    return value if len(value) <= _SHOWN else value[:_SHOWN].rstrip() + "…"


def tie_facts(related: Related, column: str, line: int) -> tuple[TieFacts | None, list[LeftOut]]:
    """The since-date (a date with a year: ``20010505`` or ``2001-05-05``) and notes of a
    RELATED (on ``line``), if it gives either; a since-date that is no such date is left out."""
    since: dt.date | None = None
    problems: list[LeftOut] = []
    if value := related.since.strip():
        try:
            date = parse_vcard_date(value)
            if date.year is None:
                raise ValueError(value)
            since = dt.date(date.year, date.month, date.day)
        except ValueError:
            reason = _("%(v)s is not a since-date such as 20010505") % {"v": _shown(value)}
            problems.append((column, reason, line))
    notes = related.notes.strip()
    return (TieFacts(since, notes) if since or notes else None), problems


def interest_notes(record: ContactRecord) -> tuple[dict[str, str], list[LeftOut]]:
    """Each note of an interest the card likes or dislikes, by interest key; one that names
    no interest of the card, or is too long to store, is left out (on its own line)."""
    limit = _limit(PersonInterest, "note")
    named = {interest_key(name) for name in (*record.categories, *record.dislikes)}
    notes: dict[str, str] = {}
    problems: list[LeftOut] = []
    for name, note in record.interest_notes.items():
        key = interest_key(name)
        shown = {"v": _shown(name), "n": limit}
        at = record.line_of(NOTE, name)
        if key not in named:
            reason = _("The note of “%(v)s”, which is not an interest of the card") % shown
            problems.append((NOTE, reason, at))
        elif len(note.strip()) > limit:
            reason = _("The note of “%(v)s” is longer than %(n)d characters") % shown
            problems.append((NOTE, reason, at))
        else:
            notes.setdefault(key, note.strip())
    return notes, problems


def category_notes_drop(extras: CardExtras, record: ContactRecord) -> list[LeftOut]:
    """Take out the notes of the card's categories when they are not imported as interests
    (``--categories tags``, ``notes`` or ``ignore``): a dislike's note stays."""
    dislikes = {interest_key(name) for name in record.dislikes}
    lines = {interest_key(name): record.line_of(NOTE, name) for name in record.interest_notes}
    problems: list[LeftOut] = []
    for key in [k for k in extras.interest_notes if k not in dislikes]:
        del extras.interest_notes[key]
        reason = _("The note of “%(v)s”, a category not imported as an interest")
        problems.append((NOTE, reason % {"v": _shown(key)}, lines.get(key, 0)))
    return problems


def _limit(model: type[models.Model], name: str) -> int:
    """The length a text field of ``model`` holds."""
    found = model._meta.get_field(name)
    return (found.max_length or 0) if isinstance(found, models.CharField) else 0


def household_facts(card: HouseholdCard, uid: str) -> tuple[HouseholdFacts | None, list[LeftOut]]:
    """The household of ``card`` (``uid``: its UID as links name cards, as it is stored); one
    without a UID or with one too long to store, or without a name of 1 to 200 characters, is
    left out, and so is an address part too long to store or a country that is no two-letter
    code. Only the card's first household is read: its problems are on that line (0)."""
    column = "X-GOODWILL-HOUSEHOLD"
    name = card.name.strip()
    if not uid:
        return None, [(column, _("%(v)s: a household without its UID") % {"v": _shown(name)}, 0)]
    if len(uid) > _limit(Household, "uid"):
        reason = _("%(v)s: a household UID longer than %(n)d characters")
        return None, [(column, reason % {"v": _shown(uid), "n": _limit(Household, "uid")}, 0)]
    if not name or len(name) > _limit(Household, "name"):
        reason = _("%(v)s is not a household name of 1 to %(n)d characters")
        return None, [
            (column, reason % {"v": _shown(name) or '""', "n": _limit(Household, "name")}, 0)
        ]
    values: dict[str, Any] = {"name": name, "notes": card.notes.strip()}
    problems: list[LeftOut] = []
    for part in HOUSEHOLD_PARTS:
        value = getattr(card.address, part).strip()
        if part == "country" and value and not (len(value) == 2 and value.isalpha()):
            reason = _("%(v)s is not a two-letter country code such as CA")
            problems.append((column, reason % {"v": _shown(value)}, 0))
        elif len(value) > _limit(Household, part):
            reason = _("The household's %(part)s is longer than %(n)d characters")
            shown = {"part": part.replace("_", " "), "n": _limit(Household, part)}
            problems.append((column, reason % shown, 0))
        else:
            values[part] = value.upper() if part == "country" else value
    return HouseholdFacts(uid, values), problems
