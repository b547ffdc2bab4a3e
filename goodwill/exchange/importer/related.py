"""What goodwill's own vCard says beyond a person's own facts, checked for the importer: the
card's ``UID``, the cards it names (``RELATED``, by their UID) as the relationship kinds the
people services take, with each tie's since-date and notes, each date's note and reminder lead
time, and (``card_extras``) each interest's note and the household. Pure: no database access.

A RELATED whose types name no relationship goodwill keeps (``contact``, ``kin``, another
program's ``x-`` type …), that names no other card by a URI (a name, ``VALUE=text``), or a
custom one (goodwill's ``x-goodwill-custom``) without a label of 1 to 60 characters
(``X-GOODWILL-LABEL``) is left out with a reason; so is a lead time that is not a number of days
from 0 to 365, and what ``card_extras`` leaves out.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from goodwill.exchange.importer.card_extras import (
    CardExtras,
    LeftOut,
    household_facts,
    interest_notes,
    tie_facts,
)
from goodwill.exchange.parse.records import ContactRecord, Related, YearlyDate
from goodwill.exchange.parse.vcard_links import LabelledRelated

MAX_LEAD_DAYS = 365
# vCard RELATED types (what the named person is to the card's) and the people services' kinds;
# of several types, the first here (the closest tie) is the one kept.
RELATED_KINDS = {
    "spouse": "spouse",
    "child": "child",
    "parent": "parent",
    "sibling": "sibling",
    "friend": "friend",
    "colleague": "colleague",
    "co-worker": "colleague",
    # goodwill's own (``export.ties.RELATED_TYPES``): the ties vCard has no type for.
    "x-goodwill-referred": "referred",
    "x-goodwill-referred-by": "referred_by",
    "x-goodwill-custom": "custom",
    "x-goodwill-custom-of": "custom_of",
}
LABELLED = frozenset({"custom", "custom_of"})  # kinds whose link carries the tie's label
MAX_LABEL = 60  # as ``Relationship.custom_label`` holds it
DateKey = tuple[str, str, YearlyDate]  # kind ("birthday", "anniversary", "custom", "wedding")
Problem = tuple[str, str]  # the column or property, why the value is left out


def uid_key(value: str) -> str:
    """A card's UID as RELATED names it: ``urn:uuid:`` (any case) and spaces aside, folded."""
    value = value.strip()
    if value[:9].casefold() == "urn:uuid:":
        value = value[9:].strip()
    return value.casefold()


def link_kind(kind: str, label: str = "") -> str:
    """A link's kind as ``ImportRow.links`` keeps it: a custom tie's with its label after a
    colon (``custom:mentor``), so that two ties with different labels are two links."""
    return f"{kind}:{label}" if kind in LABELLED else kind


def kind_label(kind: str) -> tuple[str, str]:
    """A link's kind and label, as ``link_kind`` wrote them."""
    kind, _colon, label = kind.partition(":")
    return kind, label


def _label(related: Related, kind: str) -> tuple[str, str]:
    """The label of a custom tie's RELATED, and why it is left out ("" when it is not)."""
    if kind not in LABELLED:
        return "", ""
    label = related.label.strip() if isinstance(related, LabelledRelated) else ""
    shown = related.value or '""'
    if not label:
        return "", _("%(v)s: a custom relationship without its label") % {"v": shown}
    if len(label) > MAX_LABEL:
        reason = _("%(v)s: a relationship label longer than %(n)d characters")
        return "", reason % {"v": shown, "n": MAX_LABEL}
    return label, ""


def card_links(
    record: ContactRecord, uid: str
) -> tuple[list[tuple[str, str]], CardExtras | None, list[LeftOut]]:
    """``(kind, their UID)`` of each card ``record`` names ("they are the <kind> of this
    card's person", as ``relationship_create`` takes it, or ``custom_of``: this card's person
    is theirs; a custom tie's kind with its label, ``link_kind``), once each; what else the
    card says beside them (``CardExtras``, None when nothing); and what is left out, each on
    its RELATED's own line."""
    column = record.columns.get("related", "RELATED")
    links: list[tuple[str, str]] = []
    extras = CardExtras()
    problems: list[LeftOut] = []
    for related in record.related:
        at = record.line_of("related", related)
        kind = next((kind for t, kind in RELATED_KINDS.items() if t in related.types), "")
        target = "" if related.text else uid_key(related.value)
        shown = related.value or '""'
        if not kind:
            types = ", ".join(related.types) or _("none")
            reason = _("%(v)s: goodwill keeps no relationship of type %(t)s")
            problems.append((column, reason % {"v": shown, "t": types}, at))
            continue
        if not target or target == uid:
            reason = _("%(v)s does not name another card by its UID") % {"v": shown}
            problems.append((column, reason, at))
            continue
        label, reason = _label(related, kind)
        if reason:
            problems.append((column, reason, at))
            continue
        kind = link_kind(kind, label)
        if (kind, target) not in links:
            links.append((kind, target))
            extras.lines[kind, target] = at
        if related.since or related.notes:
            facts, more = tie_facts(related, column, at)
            problems += more
            if facts is not None:
                extras.ties.setdefault((kind, target), facts)
    if record.household is not None:
        extras.household, more = household_facts(record.household, uid_key(record.household.uid))
        problems += more
    if record.interest_notes:
        extras.interest_notes, more = interest_notes(record)
        problems += more
    return links, extras or None, problems


def date_extras(
    record: ContactRecord,
) -> tuple[dict[DateKey, tuple[str, int | None]], list[LeftOut]]:
    """Each date's note and lead time in days (None: the kind's default), by kind, label (as
    the row keeps it) and date; a lead time that is not 0 to 365 days is left out (on its
    date's line)."""
    extras: dict[DateKey, tuple[str, int | None]] = {}
    problems: list[LeftOut] = []
    for (kind, label, date), (note, lead) in record.date_extras.items():
        days: int | None = None
        if lead.strip():
            # isdecimal: what int() reads ("²" is a digit it refuses); short: no huge numbers.
            if lead.strip().isdecimal() and len(lead.strip()) <= 3 and int(lead) <= MAX_LEAD_DAYS:
                days = int(lead)
            else:
                reason = _("%(v)s is not a lead time from 0 to %(n)d days")
                shown = lead.strip()[:20]
                at = record.line_of("birthday" if kind == "birthday" else "anniversary", date)
                problems.append(("X-GOODWILL-LEAD", reason % {"v": shown, "n": MAX_LEAD_DAYS}, at))
        extras[kind, label.strip()[:100], date] = (note.strip(), days)
    return extras, problems
