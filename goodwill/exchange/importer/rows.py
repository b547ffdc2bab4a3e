"""Turn a parsed ContactRecord into a checked ImportRow (or a RowError): names (a lone full name
split into given and family), normalised emails and E.164 phones with their labels, a country
code, dates that exist, and goodwill's own facts (``own_facts``: known roles, a language tag, a
known time zone, tags). A row is refused only without a name or with a name it cannot store; a
bad email, phone, date, role, language, time zone or tag is left out and listed in the row's
warnings. Pure: no database access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.exchange.importer.card_extras import CardExtras, category_notes_drop
from goodwill.exchange.importer.labels import MAX_LABEL, contact_label
from goodwill.exchange.importer.own_facts import (
    checked_dislikes,
    checked_locale,
    checked_roles,
    checked_tags,
)
from goodwill.exchange.importer.phones import import_phone, phone_extension, phone_parts
from goodwill.exchange.importer.related import DateKey, Problem, card_links, date_extras, uid_key
from goodwill.exchange.parse.address import combined_address
from goodwill.exchange.parse.countries import country_code
from goodwill.exchange.parse.emails import read_emails
from goodwill.exchange.parse.names import split_full_name
from goodwill.exchange.parse.records import (
    ContactRecord,
    RowError,
    YearlyDate,
    is_system_group,
)
from goodwill.exchange.suppression import addresses_in
from goodwill.occasions import dates
from goodwill.people.normalize import fold, interest_key
from goodwill.people.services.person_input import MAX_LENGTHS, NAME_AND_ADDRESS

SCALARS = (*NAME_AND_ADDRESS, "language", "time_zone")
# Where a record's categories (vCard CATEGORIES, CSV Labels, Groups, Interests) go.
CATEGORY_CHOICES = ("interests", "tags", "notes", "ignore")
# Lengths a value is cut to (and the cut listed): an organisation's name, a job title, an
# interest's name.
_CUT_AT = {"organisation": 200, "job_title": 150, "categories": 100}


@dataclass
class ImportRow:
    """One checked record: every value already normalised as the people services store it."""

    line: int
    values: dict[str, str]
    notes: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    organisation: str = ""
    job_title: str = ""
    # The second and later organisations (another name than the first's), with their titles.
    more_organisations: list[tuple[str, str]] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # as the tag services clean them, once each
    birthday: YearlyDate | None = None
    birthday_column: str = ""  # where the file holds it, for a message about it
    anniversaries: list[tuple[str, YearlyDate]] = field(default_factory=list)
    custom_dates: list[tuple[str, YearlyDate]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # known role codes
    dislikes: list[str] = field(default_factory=list)
    # True when the file gave no given or family name and the display name stands in for one.
    name_guessed: bool = False
    # The file's label ("work", "mobile") of a normalised email or phone, when it gave one.
    email_labels: dict[str, str] = field(default_factory=dict)
    phone_labels: dict[str, str] = field(default_factory=dict)
    # The card's UID (``uid_key``), the people it names (relationship kind as the people
    # services take it, "Ann is the <kind> of this row's person", and their UID), and the
    # dates it shares with a spouse named by UID (their UID, the file's label, the date):
    # linked once the whole file is read (``links``), never counted in the row's facts.
    uid: str = ""
    goodwill_id: str = ""  # goodwill's CSV export's "Goodwill ID": whose row it was (own_ids)
    links: list[tuple[str, str]] = field(default_factory=list)
    # What goodwill's card says beside them: ties' since-dates and notes, interests' notes,
    # the household (``card_extras``); None for most rows.
    extras: CardExtras | None = None
    couple_dates: list[tuple[str, str, YearlyDate]] = field(default_factory=list)
    # Each date's note and lead time (``related.date_extras``), by kind, label and date.
    date_extras: dict[DateKey, tuple[str, int | None]] = field(default_factory=dict)
    # The addresses in email values that did not normalise (``addresses_in``): an erased
    # person's row is kept out by them too.
    unread_emails: tuple[str, ...] = ()
    # Where the file holds each email (for a warning about it), and those left out because
    # another person holds them, with the warning about each (``held``).
    email_columns: dict[str, str] = field(default_factory=dict)
    held_emails: dict[str, RowError] = field(default_factory=dict)
    # Values dropped from an otherwise good row (an "invalid" email, a placeholder phone): the
    # row is imported without them and the batch lists each one.
    warnings: list[RowError] = field(default_factory=list)

    # (given name, family name, their name_key): the key is read several times a row.
    _name: tuple[str, str, str] | None = field(default=None, repr=False, compare=False)

    def any_emails(self) -> list[str]:
        """The row's emails, and the addresses in those it could not read."""
        return [*self.emails, *self.unread_emails] if self.unread_emails else self.emails

    def memberships(self) -> list[tuple[str, str]]:
        """Every organisation of the row with its job title, the first first."""
        first = [(self.organisation, self.job_title)] if self.organisation else []
        return first + self.more_organisations

    @property
    def name_key(self) -> str:
        given, family = self.values["given_name"], self.values["family_name"]
        if self._name is None or self._name[:2] != (given, family):
            self._name = (given, family, fold(f"{given} {family}")[:310])
        return self._name[2]


def _name(record: ContactRecord) -> tuple[str, str, str]:
    """Given, family and preferred name: the file's own, else its full name split ("Dr. Gina
    Generic" -> Gina, Generic; a quoted nickname becomes the preferred name), else (a
    business's card or row: marked as one, or its full name is its organisation's; or no full
    name) the name the address book showed, whole, as given name."""
    given, family = record.given_name.strip(), record.family_name.strip()
    preferred = record.preferred_name.strip()
    if given or family:
        # goodwill has no middle name: it joins the given name, as in a split full name.
        given = " ".join(part for part in (given, record.additional_name.strip()) if part)
        return given, family, preferred
    business = record.is_organisation or fold(record.full_name) == fold(record.organisation)
    if record.full_name.strip() and not business:
        given, family, nickname = split_full_name(record.full_name)
        return given, family, preferred or nickname
    for fallback in (record.full_name, record.preferred_name, record.organisation):
        if fallback.strip():
            return fallback.strip(), "", preferred
    return "", "", preferred


def _notes(record: ContactRecord, unmapped: str, categories: list[str]) -> str:
    parts = [record.note.strip()] if record.note.strip() else []
    if unmapped == "notes":
        parts += [f"{key}: {value}" for key, value in record.extra.items() if value.strip()]
    if categories:
        names = ", ".join(_csv_quoted(name) for name in categories)
        parts.append(_("Categories: %(names)s") % {"names": names})
    return "\n".join(parts)


def _csv_quoted(name: str) -> str:
    """``name`` as a CSV line spells it: in double quotes (its own doubled) when it holds a
    comma, a double quote or a line break, so "Wine, Red" reads back as one category."""
    if any(c in name for c in ',"\r\n'):
        return '"' + name.replace('"', '""') + '"'
    return name


def _categories(record: ContactRecord) -> list[str]:
    """The record's own categories, without address-book system groups ("* myContacts"), each
    once in its first spelling ("Wine; wine" is "Wine")."""
    names: dict[str, str] = {}
    for c in record.categories:
        if (key := interest_key(c)) and not is_system_group(c):
            names.setdefault(key, c.strip())
    return list(names.values())


def _check_length(record: ContactRecord, name: str, value: str) -> RowError | None:
    limit = MAX_LENGTHS.get(name)
    if limit and len(value) > limit:
        column = record.column(name)
        return RowError(record.line, column, _("At most %(n)d characters.") % {"n": limit})
    return None


def _warn(row: ImportRow, column: str, reason: str, at: int = 0) -> None:
    """List ``reason`` once among the row's warnings: the value it names is left out; ``at``
    is the line that holds it, when not the row's first (a vCard property's own)."""
    message = _("%(reason)s; imported without it.") % {"reason": reason.rstrip(". ")}
    warning = RowError(row.line, column, message, at if at != row.line else 0)
    if warning not in row.warnings:
        row.warnings.append(warning)


def _keep(values: list[str], labels: dict[str, str], value: str, label: str) -> None:
    if value not in values:
        values.append(value)
    if label and value not in labels:
        labels[value] = label


def _add_contacts(row: ImportRow, record: ContactRecord, region: str) -> None:
    """Normalised emails and phones with their labels, several in one cell each on its own; one
    that does not normalise is a warning."""
    for raw, label in record.emails:
        column, at = record.column("email", raw), record.line_of("email", raw)
        emails, bad = read_emails(raw)  # "a@x; b@x", "Ann <ann@x>": each on its own
        for email in emails:
            _keep(row.emails, row.email_labels, email, contact_label(label))
            row.email_columns.setdefault(email, column)
        for value, reason in bad:
            row.unread_emails += tuple(addresses_in(value))
            message = _("%(value)s is not a valid email address: %(reason)s")
            _warn(row, column, message % {"value": value, "reason": reason}, at)
    for raw, label in record.phones:
        for one in phone_parts(raw, region, row.values["country"]):
            _add_phone(row, record, one, label, region, raw)


def _add_phone(
    row: ImportRow, record: ContactRecord, raw: str, label: str, region: str, cell: str
) -> None:
    """``raw`` (one number of the file's ``cell``) in E.164, its extension in its label."""
    phone, doubt = import_phone(raw, region, row.values["country"])
    if phone is None:
        column, at = record.column("phone", cell), record.line_of("phone", cell)
        _warn(row, column, _("%(value)s is not a valid phone number") % {"value": raw}, at)
        return
    text = contact_label(label)
    if extension := phone_extension(raw, region):
        # E.164 has no extension: the label, free text shown beside the number, keeps it.
        more = _("ext. %(extension)s") % {"extension": extension}
        text = f"{text[: MAX_LABEL - len(more) - 2]}, {more}" if text else more
    _keep(row.phones, row.phone_labels, phone, text)
    if doubt:  # kept as the file has it, for the user to check
        column, at = record.column("phone", cell), record.line_of("phone", cell)
        message = _("%(doubt)s; imported as %(phone)s.") % {"doubt": doubt, "phone": phone}
        row.warnings.append(RowError(row.line, column, message, at if at != row.line else 0))


def _date_problem(value: YearlyDate, today: dt.date) -> str:
    """Why ``value`` is not a date to store ("" when it is one)."""
    try:
        dates.validate(value.month, value.day, value.year, today=today)
    except Invalid as exc:
        year = f"{value.year:04d}" if value.year is not None else "-"
        text = f"{year}-{value.month:02d}-{value.day:02d}"
        reason = next(iter(exc.fields.values()))[0]
        return _("%(value)r is not a valid date: %(reason)s") % {"value": text, "reason": reason}
    return ""


def _add_dates(row: ImportRow, record: ContactRecord, today: dt.date) -> None:
    """The birthday and anniversaries that exist; the reader's dropped dates become warnings."""
    for dropped in record.dropped:
        _warn(row, record.column(dropped.column), dropped.message, dropped.at)
    if record.birthday and (reason := _date_problem(record.birthday, today)):
        _warn(row, record.column("birthday"), reason, record.line_of("birthday", record.birthday))
    elif record.birthday:
        row.birthday, row.birthday_column = record.birthday, record.column("birthday")
    for source, target in (
        (record.anniversaries, row.anniversaries),
        (record.custom_dates, row.custom_dates),
    ):
        for label, when in source:
            if reason := _date_problem(when, today):
                _warn(
                    row, record.column("anniversary"), reason, record.line_of("anniversary", when)
                )
            elif (label.strip()[:100], when) not in target:
                target.append((label.strip()[:100], when))


def _add_own_facts(row: ImportRow, record: ContactRecord, tags: list[tuple[str, str]]) -> None:
    """Known roles, dislikes that are not also likes, a language tag, a known time zone and
    ``tags`` ((column, name) pairs) a tag can have; what is left out is a warning."""
    problems: list[Problem] = []
    if record.roles:
        row.roles, problems = checked_roles(record)
    if record.dislikes:
        row.dislikes, more = checked_dislikes(record, row.interests)
        problems += more
    if record.language or record.time_zone:
        row.values["language"], row.values["time_zone"], more = checked_locale(record)
        problems += more
    if tags:
        row.tags, more = checked_tags(tags)
        problems += more
    for column, reason in problems:
        _warn(row, column, reason, record.line_of(column))


def _cut(row: ImportRow, record: ContactRecord, field: str, value: str) -> str:
    """``value`` stripped, cut to what can be stored (``_CUT_AT``), the cut listed."""
    value, limit = value.strip(), _CUT_AT[field]
    if len(value) > limit:
        message = _("Cut to %(n)d characters: %(value)s…") % {"n": limit, "value": value[:limit]}
        warning = RowError(row.line, record.column(field), message, record.line_of(field))
        if warning not in row.warnings:
            row.warnings.append(warning)
    return value[:limit]


def _organisations(row: ImportRow, record: ContactRecord) -> list[tuple[str, str]]:
    """Each organisation once (by folded name), cut to what can be stored, with its title."""
    found: dict[str, tuple[str, str]] = {}
    first = [(record.organisation, record.job_title)] if record.organisation.strip() else []
    for name, title in [*first, *record.more_organisations]:
        if (key := fold(name)) and key not in found:
            cut = _cut(row, record, "organisation", name), _cut(row, record, "job_title", title)
            found[key] = cut
    return list(found.values())


def _add_related(row: ImportRow, record: ContactRecord, today: dt.date) -> None:
    """The card's UID, the cards it names (``related``), its couple dates that exist, and its
    dates' notes and lead times; what is left out of them is a warning."""
    row.uid = uid_key(record.uid)
    row.links, row.extras, problems = card_links(record, row.uid)
    for partner, label, when in record.couple_dates:
        if reason := _date_problem(when, today):
            _warn(row, record.column("anniversary"), reason, record.line_of("anniversary", when))
        elif (key := uid_key(partner)) and (key, label, when) not in row.couple_dates:
            row.couple_dates.append((key, label.strip()[:100], when))
    if record.date_extras:
        row.date_extras, more = date_extras(record)
        problems += more
    for column, reason, at in problems:  # each on its own property's line
        _warn(row, column, reason, at or record.line_of(column))


def _values(record: ContactRecord) -> tuple[dict[str, str], str]:
    """The record's name and address as stored, and its address's country as the file has it."""
    given, family, preferred = _name(record)
    address = combined_address(record.address, country_code)
    return {
        "given_name": given,
        "family_name": family,
        "preferred_name": preferred,
        "street": address.street.strip(),
        "locality": address.locality.strip(),
        "region": address.region.strip(),
        "postal_code": address.postal_code.strip(),
        "country": country_code(address.country),
        "language": "",  # filled in once checked (_add_own_facts)
        "time_zone": "",
    }, address.country.strip()


def import_row(
    record: ContactRecord,
    *,
    region: str,
    unmapped: str,
    today: dt.date,
    categories: str = "interests",
) -> ImportRow | RowError:
    """The checked row of ``record`` (its dropped values in ``warnings``), or why it cannot be
    imported at all: no name, or a name or address part too long to store. ``categories``
    makes the record's categories interests, tags, a "Categories: …" line of the notes, or
    nothing; its own tags (``record.tags``) are tags whatever ``categories`` says."""
    if categories not in CATEGORY_CHOICES:
        raise ValueError(f"categories must be one of {CATEGORY_CHOICES}, not {categories!r}")
    values, country = _values(record)
    if not values["given_name"] and not values["family_name"]:
        return RowError(record.line, "name", _("The row has no name."))
    for name, value in values.items():
        if error := _check_length(record, name, value):
            return error
    names = _categories(record)
    row = ImportRow(
        line=record.line,
        values=values,
        notes=_notes(record, unmapped, names if categories == "notes" else []),
        interests=names if categories == "interests" else [],
        name_guessed=not (record.given_name.strip() or record.family_name.strip()),
        warnings=list(record.notices),  # values the reader read otherwise than written
    )
    if country and not values["country"]:
        reason = _("%(value)s is not a country name or a two-letter code such as FR")
        at = record.line_of("country")
        _warn(row, record.column("country"), reason % {"value": country}, at)
    if record.more_organisations:  # most have one at most
        if work := _organisations(row, record):
            (row.organisation, row.job_title), *row.more_organisations = work
    elif record.organisation.strip():
        row.organisation = _cut(row, record, "organisation", record.organisation)
        row.job_title = _cut(row, record, "job_title", record.job_title)
    if record.job_title.strip() and not record.organisation.strip():
        # goodwill keeps a job title with the organisation it is held in.
        reason = _("Job title %(title)s has no organisation in the row to go with") % {
            "title": record.job_title.strip()[:150]
        }
        _warn(row, record.column("job_title"), reason, record.line_of("job_title"))
    for name in row.interests:
        _cut(row, record, "categories", name)  # an interest's name is stored cut (its key too)
    _add_contacts(row, record, region)
    _add_dates(row, record, today)
    if record.uid or record.related or record.couple_dates or record.date_extras:
        _add_related(row, record, today)
        if row.extras is not None and row.extras.interest_notes and categories != "interests":
            for column, reason, at in category_notes_drop(row.extras, record):
                _warn(row, column, reason, at or record.line_of(column))
    tags = [(record.column("tags"), name) for name in record.tags]
    if categories == "tags":
        tags += [(record.column("categories"), name) for name in names]
    if record.roles or record.dislikes or record.language or record.time_zone or tags:
        _add_own_facts(row, record, tags)  # most files have none of these: no call for them
    row.goodwill_id = record.extra.get("Goodwill ID", "").strip()
    return row
