"""Input and output schemas of the people API: one ``<Entity><Action>In/Out`` per operation."""

import datetime as dt

from ninja import Field, Schema

from goodwill.core.api import InSchema
from goodwill.people.models import Person, PersonEmail, PersonPhone, PersonTag

# --- people ----------------------------------------------------------------------------------


SOURCE = "How we know: told_us, staff_observed, imported or form"
SOURCE_DETAIL = 'Where exactly: "guests.csv, import 12"; or ""'


class PersonOrganisationOut(Schema):
    id: int
    name: str
    job_title: str
    source: str = Field(description=SOURCE)
    source_detail: str = Field(description=SOURCE_DETAIL)


class PersonTagOut(Schema):
    """One of the business's own labels on a person, with how it got there."""

    id: int = Field(description="The tag's id")
    name: str
    source: str = Field(description=SOURCE)
    source_detail: str = Field(description=SOURCE_DETAIL)
    added_by_id: int | None = Field(description="Who tagged them; null: the command line")
    added_at: dt.datetime

    @staticmethod
    def resolve_id(obj: PersonTag) -> int:
        return obj.tag_id

    @staticmethod
    def resolve_name(obj: PersonTag) -> str:
        return obj.tag.name


class PersonContactOut(Schema):
    """One email or phone with its label and where it came from."""

    kind: str = Field(description="email or phone")
    value: str = Field(description="The normalised address, or the phone in E.164")
    label: str
    is_primary: bool
    source: str = Field(description=SOURCE)
    source_detail: str = Field(description=SOURCE_DETAIL)


class PersonOut(Schema):
    """A person as the API shows them; emails and phones list the primary one first."""

    id: int
    given_name: str
    family_name: str
    preferred_name: str
    emails: list[str]
    phones: list[str] = Field(description="E.164, primary first")
    roles: list[str]
    street: str
    locality: str
    region: str
    postal_code: str
    country: str
    language: str
    time_zone: str
    notes: str
    household_id: int | None
    organisations: list[PersonOrganisationOut]
    contacts: list[PersonContactOut] = Field(
        description="Emails, then phones, primary first, each with its label and source"
    )
    tags: list[PersonTagOut] = Field(description="The business's own labels for them, by name")
    source: str = Field(description=SOURCE)
    source_detail: str = Field(description=SOURCE_DETAIL)
    created_by_id: int | None = Field(description="Who added them; null: the command line")
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_emails(obj: Person) -> list[str]:
        return [e.email for e in obj.email_list]

    @staticmethod
    def resolve_phones(obj: Person) -> list[str]:
        return [p.e164 for p in obj.phone_list]

    @staticmethod
    def resolve_roles(obj: Person) -> list[str]:
        return sorted(r.role for r in obj.role_list)

    @staticmethod
    def resolve_organisations(obj: Person) -> list[dict[str, object]]:
        return [
            {
                "id": m.organisation_id,
                "name": m.organisation.name,
                "job_title": m.job_title,
                "source": m.source,
                "source_detail": m.source_detail,
            }
            for m in obj.membership_list
        ]

    @staticmethod
    def resolve_contacts(obj: Person) -> list[dict[str, object]]:
        found: list[tuple[str, str, PersonEmail | PersonPhone]]
        found = [("email", e.email, e) for e in obj.email_list]
        found += [("phone", p.e164, p) for p in obj.phone_list]
        return [
            {
                "kind": kind,
                "value": value,
                "label": c.label,
                "is_primary": c.is_primary,
                "source": c.source,
                "source_detail": c.source_detail,
            }
            for kind, value, c in found
        ]

    @staticmethod
    def resolve_tags(obj: Person) -> list[PersonTag]:
        return list(obj.tag_link_list)

    @staticmethod
    def resolve_archived(obj: Person) -> bool:
        return obj.archived_at is not None


class PersonDuplicateOut(Schema):
    id: int
    name: str
    email: str
    phone: str

    @staticmethod
    def resolve_name(obj: Person) -> str:
        return obj.full_name

    @staticmethod
    def resolve_email(obj: Person) -> str:
        return obj.primary_email

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return obj.primary_phone


class PersonGetOut(PersonOut):
    """One person."""


class PersonListOut(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class PersonCreateIn(InSchema):
    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    emails: list[str] = Field(default_factory=list, description="The first is primary.")
    phones: list[str] = Field(default_factory=list, description="Without + read in the region.")
    roles: list[str] = Field(default_factory=list, description="guest, staff, supplier, …")
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = Field("", description="Two-letter country code.")
    language: str = ""
    time_zone: str = ""
    notes: str = ""
    household_id: int | None = None
    source: str = Field("told_us", description="told_us, staff_observed, imported or form")


class PersonCreateOut(PersonOut):
    """The new person and the people it may duplicate (same email, phone or full name)."""

    duplicates: list[PersonDuplicateOut] = Field(default_factory=list)


class PersonUpdateIn(InSchema):
    """Only the fields sent change; a list sent replaces the stored one (first = primary)."""

    given_name: str | None = None
    family_name: str | None = None
    preferred_name: str | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    roles: list[str] | None = None
    street: str | None = None
    locality: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    language: str | None = None
    time_zone: str | None = None
    notes: str | None = None
    household_id: int | None = None
    source: str | None = None


class PersonUpdateOut(PersonOut):
    """The person after the change."""


class PersonLinkUserIn(InSchema):
    user_id: int | None = Field(description="The login to link; null unlinks.")


class PersonLinkUserOut(PersonOut):
    """The person and the login now linked to them (null when none)."""

    user_id: int | None


class PersonArchiveOut(PersonOut):
    """The archived person."""


class PersonRestoreOut(PersonOut):
    """The restored person."""


class MembershipSetIn(InSchema):
    job_title: str = ""


class MembershipSetOut(PersonOut):
    """The person, now in the organisation."""


# --- organisations and households ------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str
    website: str
    notes: str
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_archived(obj: object) -> bool:
        return getattr(obj, "archived_at", None) is not None


class OrganisationGetOut(OrganisationOut):
    """One organisation."""


class OrganisationListOut(Schema):
    items: list[OrganisationOut]
    next_cursor: str | None


class OrganisationCreateIn(InSchema):
    name: str
    website: str = ""
    notes: str = ""


class OrganisationCreateOut(OrganisationOut):
    """The new organisation."""


class OrganisationUpdateIn(InSchema):
    name: str | None = None
    website: str | None = None
    notes: str | None = None


class OrganisationUpdateOut(OrganisationOut):
    """The organisation after the change."""


class OrganisationArchiveOut(OrganisationOut):
    """The archived organisation."""


class OrganisationRestoreOut(OrganisationOut):
    """The restored organisation."""


class HouseholdOut(Schema):
    id: int
    uid: str = Field(description="Stable UID: the same in every export, and the one imports join.")
    name: str
    street: str
    locality: str
    region: str
    postal_code: str
    country: str
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime


class HouseholdGetOut(HouseholdOut):
    """One household (its members: ``GET /people?household_id=``)."""


class HouseholdListOut(Schema):
    items: list[HouseholdOut]
    next_cursor: str | None


class HouseholdCreateIn(InSchema):
    name: str
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    notes: str = ""
    member_ids: list[int] = Field(default_factory=list, description="People who live there.")


class HouseholdCreateOut(HouseholdOut):
    """The new household."""


class HouseholdUpdateIn(InSchema):
    name: str | None = None
    street: str | None = None
    locality: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    notes: str | None = None


class HouseholdUpdateOut(HouseholdOut):
    """The household after the change."""
