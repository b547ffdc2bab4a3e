"""What a vCard says beyond a person's own fields: every organisation with its own job title
(``set_work``), the one spouse it names (``only_spouse``), the notes goodwill writes for its
dates (``date_notes``) and its interests (``interest_notes``), the household goodwill writes
(``household_card``), and the label of a custom relationship (``LabelledRelated``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from goodwill.exchange.parse.records import Address, ContactRecord, HouseholdCard, Related, RowError
from goodwill.exchange.parse.vcard_lines import Prop
from goodwill.exchange.parse.vcard_values import components, decoded, unescape


@dataclass(frozen=True, slots=True)
class LabelledRelated(Related):
    """A ``RELATED`` with goodwill's ``X-GOODWILL-LABEL``: the label of a custom relationship
    (``TYPE=x-goodwill-custom``), as written (the importer checks it)."""

    label: str = ""


def related_prop(prop: Prop, value: str) -> Related:
    """A ``RELATED`` (``value``: its value, unescaped), with goodwill's since-date, notes and
    label of the tie."""
    text = prop.params.get("VALUE", "").lower() == "text"
    types = tuple(sorted(prop.types - {"pref"}))
    since = prop.params.get("X-GOODWILL-SINCE", "")
    notes = prop.params.get("X-GOODWILL-NOTE", "")
    if label := prop.params.get("X-GOODWILL-LABEL", ""):
        return LabelledRelated(types, value, text, since, notes, label)
    return Related(types, value, text, since, notes)


def date_notes(props: list[Prop]) -> dict[str, str]:
    """goodwill's notes of dates: ``itemN.X-GOODWILL-NOTE`` is the note of the date of its
    group, ``X-GOODWILL-NOTE;X-GOODWILL-FOR=BDAY`` (or ``ANNIVERSARY``) the ungrouped one's."""
    notes: dict[str, str] = {}
    for prop in props:
        if prop.name == "X-GOODWILL-NOTE":
            key = prop.group or prop.params.get("X-GOODWILL-FOR", "").upper()
            if key and (note := unescape(prop.value).strip()):
                notes.setdefault(key, note)
    return notes


def only_spouse(props: list[Prop]) -> str:
    """The card's spouse when it names exactly one by URI (``RELATED;TYPE=spouse``): its
    ``ANNIVERSARY`` is then the couple's wedding (RFC 6350 §6.2.6), kept for the couple."""
    spouses = {
        unescape(p.value).strip()
        for p in props
        if p.name == "RELATED"
        and "spouse" in p.types
        and p.params.get("VALUE", "").lower() != "text"
        and p.value.strip()
    }
    return spouses.pop() if len(spouses) == 1 else ""


def set_work(record: ContactRecord, props: list[Prop]) -> None:
    """Every ORG with its own TITLE: a grouped ORG takes its group's (``org2.ORG`` and
    ``org2.TITLE``), the others the ungrouped titles in order; a card's only ORG takes its
    first TITLE wherever it is, and a TITLE without an ORG is kept. The same organisation in
    another language (``ALTID``) is left out."""
    titles: dict[str, str] = {}
    free: list[str] = []
    for prop in props:
        if prop.name == "TITLE" and (title := unescape(decoded(prop)).strip()):
            if prop.group:
                titles.setdefault(prop.group, title)
            else:
                free.append(title)
    found: list[tuple[str, str]] = []
    altids: set[str] = set()
    alone = ""  # the group of a card's only ORG ("" ungrouped)
    for prop in props:
        if prop.name != "ORG":
            continue
        name = unescape(components(decoded(prop))[0]).strip()
        altid = prop.params.get("ALTID", "")
        if not name or (altid and altid in altids):
            continue
        altids.add(altid)
        title = titles.get(prop.group, "") if prop.group else (free.pop(0) if free else "")
        found.append((name, title))
        alone = prop.group
    if len(found) == 1 and not found[0][1]:
        # An ungrouped ORG takes the first TITLE of any group; a grouped one an ungrouped TITLE.
        others = free if alone else [*free, *titles.values()]
        found[0] = (found[0][0], others[0] if others else "")
    if found:
        (record.organisation, record.job_title), *record.more_organisations = found
    elif free or titles:
        record.job_title = [*free, *titles.values()][0]


def interest_notes(props: list[Prop]) -> dict[str, tuple[str, int]]:
    """goodwill's notes of interests: ``X-GOODWILL-NOTE;X-GOODWILL-INTEREST="jazz"`` is the
    note of the interest it names (liked or disliked), the first one of each name kept, with
    its line."""
    notes: dict[str, tuple[str, int]] = {}
    for prop in props:
        if prop.name == "X-GOODWILL-NOTE" and not prop.group:
            name = prop.params.get("X-GOODWILL-INTEREST", "").strip()
            if name and (note := unescape(prop.value).strip()):
                notes.setdefault(name, (note, prop.line))
    return notes


def household_card(props: list[Prop]) -> HouseholdCard | None:
    """The first ``X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=…`` of the card: its UID, and its value's
    name, street, locality, region, postal code, country and notes, as written."""
    for prop in props:
        if prop.name == "X-GOODWILL-HOUSEHOLD":
            parts = [unescape(part).strip() for part in components(prop.value)] + [""] * 7
            name, street, locality, region, postal_code, country, notes = parts[:7]
            address = Address(street, locality, region, postal_code, country)
            uid = prop.params.get("X-GOODWILL-UID", "").strip()
            return HouseholdCard(uid, name, address, notes)
    return None


def set_own_extras(record: ContactRecord, props: list[Prop]) -> None:
    """The card's interest notes and household, read after its ``UID``: goodwill writes them on
    cards that have one, and the importer takes them with the card's links; on a card without
    a UID they are left out, each noted on the record. The line of each interest's note is
    kept (``ContactRecord.line_of("X-GOODWILL-NOTE", name)``) for a warning about it."""
    notes, household = interest_notes(props), household_card(props)
    if record.uid:
        record.interest_notes = {name: note for name, (note, _line) in notes.items()}
        for name, (_note, line) in notes.items():
            record.lines.setdefault(("X-GOODWILL-NOTE", name), line)
        record.household = household
        return
    message = _("%(prop)s is read only on a card with a UID")
    for prop, there in (("X-GOODWILL-NOTE", notes), ("X-GOODWILL-HOUSEHOLD", household)):
        if there:
            left_out = RowError(record.line, prop, message % {"prop": prop}, record.line_of(prop))
            record.dropped.append(left_out)
