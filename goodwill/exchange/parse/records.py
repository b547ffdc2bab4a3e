"""What the import readers produce: one ContactRecord per row or card, or a RowError.

Readers are pure (no database); the importer turns records into PersonRow/OccasionRow writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Groups an address book puts every contact in, or its own markers ("* starred"): they say
# nothing about the person, so they are never read as categories.
SYSTEM_GROUPS = frozenset({"my contacts", "mycontacts", "starred", "starred in android"})


def is_system_group(name: str) -> bool:
    """True for Google's and Android's system groups ("* myContacts", "My Contacts", "starred")."""
    return name.strip().removeprefix("*").strip().casefold() in SYSTEM_GROUPS


class ImportFileError(Exception):
    """The whole file cannot be read (empty, binary, too large, no rows); the message names it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


class OwnLabel(str):
    """A label of an email or phone as the file wrote it, which the importer keeps exactly (no
    "cell" read as "mobile", no "pref" left out, no splitting at commas or semicolons):
    goodwill's ``X-GOODWILL-LABEL``, a TYPE that is no vCard type (``TYPE="Office, 2nd"``) and
    the label cells of goodwill's own CSV."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class YearlyDate:
    """A calendar date that may have no year (a birthday entered as --04-12)."""

    month: int
    day: int
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Address:
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""

    def __bool__(self) -> bool:
        return any((self.street, self.locality, self.region, self.postal_code, self.country))


@dataclass(frozen=True, slots=True)
class Related:
    """A vCard ``RELATED``: the kinds it names (lower-case ``TYPE`` values) and the card it names
    (a URI such as ``urn:uuid:…``, matched against the file's ``UID``; ``text``: a name only),
    and goodwill's since-date and notes of the tie, as written (``X-GOODWILL-SINCE``,
    ``X-GOODWILL-NOTE``; the importer checks them)."""

    types: tuple[str, ...]
    value: str
    text: bool = False
    since: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class HouseholdCard:
    """The household a card's person lives in, as goodwill's ``X-GOODWILL-HOUSEHOLD`` writes
    it: the household's own UID (the cards that share it live together), name, address and
    notes, as written (the importer checks them)."""

    uid: str
    name: str
    address: Address = field(default_factory=Address)
    notes: str = ""


@dataclass(slots=True)
class ContactRecord:
    """One person as read from a file; ``line`` is the first line of its row or card."""

    line: int
    given_name: str = ""
    family_name: str = ""
    additional_name: str = ""
    preferred_name: str = ""
    full_name: str = ""
    # A business's card (vCard KIND:org, Apple's X-ABShowAs:COMPANY): its name is not split.
    is_organisation: bool = False
    emails: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    address: Address = field(default_factory=Address)
    organisation: str = ""
    job_title: str = ""
    # The second and later organisations, each with its own job title ("" when none).
    more_organisations: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    categories: list[str] = field(default_factory=list)
    # Tags, the business's own labels: goodwill's CSV "Goodwill Tags" and vCard
    # ``CATEGORIES;TYPE=x-goodwill-tags``, or a column called "Tags" (Mailchimp's "TAGS").
    tags: list[str] = field(default_factory=list)
    birthday: YearlyDate | None = None
    anniversaries: list[tuple[str, YearlyDate]] = field(default_factory=list)
    # Dates of goodwill's own "custom" kind (a vCard X-ABDATE marked X-GOODWILL-KIND=custom).
    custom_dates: list[tuple[str, YearlyDate]] = field(default_factory=list)
    # goodwill's own facts, as its exports write them: role codes, disliked interests, a
    # language tag and an IANA time zone (vCard LANG and TZ); checked by the importer.
    roles: list[str] = field(default_factory=list)
    dislikes: list[str] = field(default_factory=list)
    language: str = ""
    time_zone: str = ""
    # The card's UID and the cards it names (vCard RELATED), and the dates it shares with a
    # spouse named by UID (partner, label, date): a wedding, the couple's once both are known.
    uid: str = ""
    related: list[Related] = field(default_factory=list)
    couple_dates: list[tuple[str, str, YearlyDate]] = field(default_factory=list)
    # Each date's note and reminder lead time (days, as written) from goodwill's vCard
    # (``X-GOODWILL-NOTE``, ``X-GOODWILL-LEAD``), by kind ("birthday", "anniversary", "custom",
    # or "wedding" for a couple date), label and date.
    date_extras: dict[tuple[str, str, YearlyDate], tuple[str, str]] = field(default_factory=dict)
    # goodwill's note of each interest, liked or disliked, by its name as the card writes it
    # (``X-GOODWILL-NOTE;X-GOODWILL-INTEREST=…``), and the household (``X-GOODWILL-HOUSEHOLD``).
    interest_notes: dict[str, str] = field(default_factory=dict)
    household: HouseholdCard | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # Values the reader could not read and left out (a birthday of 30 February): the record is
    # still imported, and the importer lists each one as a warning.
    dropped: list[RowError] = field(default_factory=list)
    # Values the reader read otherwise than the file wrote them, and says so (UTF-8 text in a
    # Windows-1252 file): the importer lists each one as a warning, as it is.
    notices: list[RowError] = field(default_factory=list)
    # Where the file holds each field, for messages: the CSV column ({"phone": "Mobile"}) or the
    # vCard property ({"phone": "TEL"}), one mapping shared by the file's records; and the
    # column of each email and phone read from a CSV ({("phone", "555 0101"): "Phone 2 - Value"}).
    columns: dict[str, str] = field(default_factory=dict)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    # The line of the file that holds each value of a vCard (each property has its own; a CSV
    # row's are on its line): by field and value (("email", "bo@example.com"), ("birthday",
    # YearlyDate(…))), and by property for the first one of its name (("ORG", "")).
    lines: dict[tuple[str, object], int] = field(default_factory=dict)

    def column(self, field: str, value: str = "") -> str:
        """Where the file holds ``field`` (its ``value``, for an email or phone from a CSV): the
        column's or property's name, as the file's owner knows it; else the field's name."""
        return self.origins.get((field, value)) or self.columns.get(field) or field

    def line_of(self, field: str, value: object = "") -> int:
        """The line of the file that holds ``field`` (its ``value``: an email or phone as the
        record holds it, a date): a vCard property's own line; else the record's first line."""
        if not self.lines:
            return self.line
        return (
            self.lines.get((field, value)) or self.lines.get((self.column(field), "")) or self.line
        )

    def has_content(self) -> bool:
        """True when there is something to identify a person by: a name, email, phone or company."""
        return bool(
            self.given_name
            or self.family_name
            or self.full_name
            or self.preferred_name
            or self.emails
            or self.phones
            or self.organisation
        )


@dataclass(frozen=True, slots=True)
class RowError:
    """A row or card that was not read; nothing of it is yielded as a record. In a record's
    ``dropped``, a value left out of it: ``line`` is then the record's, and ``at`` the line
    that holds the value (a vCard property's own; 0: the record's line), which comparing two
    problems leaves out."""

    line: int
    column: str
    message: str
    at: int = field(default=0, compare=False)
