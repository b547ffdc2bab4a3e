"""Turn a parsed ContactRecord into a checked ImportRow (or a RowError): names, normalised
emails and E.164 phones, a country code, dates that exist. Pure: no database access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from phonenumbers.geodata.locale import LOCALE_DATA

from goodwill.core.errors import Invalid
from goodwill.exchange.parse.records import ContactRecord, RowError, YearlyDate
from goodwill.occasions import dates
from goodwill.people.normalize import fold, interest_key, normalise_email, normalise_phone
from goodwill.people.services.persons import MAX_LENGTHS

SCALARS = (
    "given_name",
    "family_name",
    "preferred_name",
    "street",
    "locality",
    "region",
    "postal_code",
    "country",
)
_COUNTRY_ALIASES = {"usa": "US", "united states of america": "US", "uk": "GB", "england": "GB"}


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
    interests: list[str] = field(default_factory=list)
    birthday: YearlyDate | None = None
    anniversaries: list[tuple[str, YearlyDate]] = field(default_factory=list)
    # True when the file gave no given or family name and the display name stands in for one.
    name_guessed: bool = False

    @property
    def name_key(self) -> str:
        return fold(f"{self.values['given_name']} {self.values['family_name']}")[:310]


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    names: dict[str, str] = dict(_COUNTRY_ALIASES)
    for code, by_language in LOCALE_DATA.items():
        for language in ("en", "de", "fr", "es", "it", "nl", "pt"):
            name = by_language.get(language, "")
            if name.startswith("*"):
                name = by_language.get(name[1:], "")
            if name and len(code) == 2:
                names.setdefault(fold(name), code)
    return names


def country_code(value: str) -> str:
    """A two-letter code for "CA", "Canada", "Deutschland", "USA"; "" when not known."""
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    return _countries().get(fold(value), "")


def _name(record: ContactRecord) -> tuple[str, str]:
    given, family = record.given_name.strip(), record.family_name.strip()
    if given or family:
        return given, family
    # A card with only a display name (FN) or a company: keep what the address book showed.
    for fallback in (record.full_name, record.preferred_name, record.organisation):
        if fallback.strip():
            return fallback.strip(), ""
    return "", ""


def _notes(record: ContactRecord, unmapped: str) -> str:
    parts = [record.note.strip()] if record.note.strip() else []
    if unmapped == "notes":
        parts += [f"{key}: {value}" for key, value in record.extra.items() if value.strip()]
    return "\n".join(parts)


def _check_length(line: int, name: str, value: str) -> RowError | None:
    limit = MAX_LENGTHS.get(name)
    if limit and len(value) > limit:
        return RowError(line, name, _("At most %(n)d characters.") % {"n": limit})
    return None


def _date(line: int, column: str, value: YearlyDate, today: dt.date) -> RowError | None:
    try:
        dates.validate(value.month, value.day, value.year, today=today)
    except Invalid as exc:
        return RowError(line, column, exc.message.split(": ", 1)[-1])
    return None


def _contacts(record: ContactRecord, region: str) -> tuple[list[str], list[str]] | RowError:
    emails: list[str] = []
    for raw, _label in record.emails:
        try:
            email = normalise_email(raw)
        except ValueError as exc:
            message = _("%(value)s is not a valid email address: %(reason)s")
            return RowError(record.line, "email", message % {"value": raw, "reason": exc})
        if email not in emails:
            emails.append(email)
    phones: list[str] = []
    for raw, _label in record.phones:
        try:
            phone = normalise_phone(raw, region)
        except ValueError:
            message = _("%(value)s is not a valid phone number.") % {"value": raw}
            return RowError(record.line, "phone", message)
        if phone not in phones:
            phones.append(phone)
    return emails, phones


def import_row(
    record: ContactRecord, *, region: str, unmapped: str, today: dt.date
) -> ImportRow | RowError:
    """The checked row of ``record``, or the first reason it cannot be imported."""
    given, family = _name(record)
    if not given and not family:
        return RowError(record.line, "name", _("The row has no name."))
    address = record.address
    values = {
        "given_name": given,
        "family_name": family,
        "preferred_name": record.preferred_name.strip(),
        "street": address.street.strip(),
        "locality": address.locality.strip(),
        "region": address.region.strip(),
        "postal_code": address.postal_code.strip(),
        "country": country_code(address.country),
    }
    for name, value in values.items():
        if error := _check_length(record.line, name, value):
            return error
    contacts = _contacts(record, region)
    if isinstance(contacts, RowError):
        return contacts
    if record.birthday and (error := _date(record.line, "birthday", record.birthday, today)):
        return error
    anniversaries: list[tuple[str, YearlyDate]] = []
    for label, when in record.anniversaries:
        if error := _date(record.line, "anniversary", when, today):
            return error
        if (label, when) not in anniversaries:
            anniversaries.append((label.strip()[:100], when))
    interests = [c.strip() for c in record.categories if interest_key(c)]
    return ImportRow(
        line=record.line,
        values=values,
        notes=_notes(record, unmapped),
        emails=contacts[0],
        phones=contacts[1],
        organisation=record.organisation.strip()[:200],
        job_title=record.job_title.strip()[:150],
        interests=list(dict.fromkeys(interests)),
        birthday=record.birthday,
        anniversaries=anniversaries,
        name_guessed=not (record.given_name.strip() or record.family_name.strip()),
    )
