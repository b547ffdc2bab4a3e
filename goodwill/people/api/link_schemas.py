"""Schemas of the people API for what links people: relationships, interests, person interests,
tags."""

import datetime as dt

from ninja import Field, Schema

from goodwill.core.api import InSchema
from goodwill.people.api.schemas import SOURCE, SOURCE_DETAIL, PersonTagOut
from goodwill.people.models import Relationship

# --- relationships ---------------------------------------------------------------------------


class RelationshipOut(Schema):
    """``person_id`` is the ``kind`` of ``other_id`` ("Ann is the parent of Ben")."""

    id: int
    person_id: int
    other_id: int
    kind: str
    custom_label: str
    label: str
    since: dt.date | None
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_person_id(obj: Relationship) -> int:
        return obj.from_person_id

    @staticmethod
    def resolve_other_id(obj: Relationship) -> int:
        return obj.to_person_id

    @staticmethod
    def resolve_label(obj: Relationship) -> str:
        return obj.label_from()


class RelationshipGetOut(RelationshipOut):
    """One relationship."""


class RelationshipListOut(Schema):
    items: list[RelationshipOut]
    next_cursor: str | None


class RelationshipCreateIn(InSchema):
    person_id: int
    other_id: int
    kind: str = Field(description="spouse, parent, child, sibling, friend, colleague, …")
    custom_label: str = ""
    since: dt.date | None = None
    notes: str = ""


class RelationshipCreateOut(RelationshipOut):
    """The new relationship, stored once and shown on both people."""


class RelationshipUpdateIn(InSchema):
    since: dt.date | None = None
    notes: str | None = None
    custom_label: str | None = None


class RelationshipUpdateOut(RelationshipOut):
    """The relationship after the change."""


# --- interests -------------------------------------------------------------------------------


class InterestOut(Schema):
    id: int
    name: str
    key: str
    people_count: int


class InterestGetOut(InterestOut):
    """One interest of the shared vocabulary."""


class InterestListOut(Schema):
    items: list[InterestOut]
    next_cursor: str | None


class InterestCreateIn(InSchema):
    name: str


class InterestCreateOut(InterestOut):
    """The interest for this name in any spelling (existing, or new)."""


class InterestUpdateIn(InSchema):
    name: str = Field(description="The new display name; its key follows.")


class InterestUpdateOut(InterestOut):
    """The interest after the rename."""


class PersonInterestOut(Schema):
    id: int
    person_id: int
    interest_id: int
    interest: str
    attitude: str
    source: str
    note: str
    noted_by_id: int | None
    noted_at: dt.datetime

    @staticmethod
    def resolve_interest(obj: object) -> str:
        return str(getattr(obj, "interest", ""))


class PersonInterestGetOut(PersonInterestOut):
    """One thing a person likes or dislikes, with its source."""


class PersonInterestListOut(Schema):
    items: list[PersonInterestOut]
    next_cursor: str | None


class PersonInterestCreateIn(InSchema):
    person_id: int
    interest: str = Field(description="The interest's name, in any spelling.")
    attitude: str = Field("likes", description="likes or dislikes")
    source: str = Field(description="told_us, staff_observed, imported or form")
    note: str = ""


class PersonInterestCreateOut(PersonInterestOut):
    """What was recorded (an interest already known is updated)."""


class PersonInterestUpdateIn(InSchema):
    attitude: str | None = None
    source: str | None = None
    note: str | None = None


class PersonInterestUpdateOut(PersonInterestOut):
    """The interest after the change."""


# --- tags ------------------------------------------------------------------------------------


class TagOut(Schema):
    id: int
    name: str
    key: str = Field(description="The name folded: case, accents and spacing ignored")
    people_count: int


class TagGetOut(TagOut):
    """One tag, with how many people have it."""


class TagListOut(Schema):
    items: list[TagOut]
    next_cursor: str | None


class TagRenameIn(InSchema):
    name: str = Field(description="The new name; another tag's name merges this tag into it.")


class TagRenameOut(TagOut):
    """The tag after the rename: the other tag (another id) when this one was merged into it."""


class PersonTagListOut(Schema):
    items: list[PersonTagOut]
    next_cursor: str | None


class PersonTagAddIn(InSchema):
    name: str = Field(description="The tag's name, in any spelling; a new name makes a new tag.")
    source: str = Field("told_us", description=SOURCE)
    source_detail: str = Field("", description=SOURCE_DETAIL)


class PersonTagAddOut(PersonTagOut):
    """The tag on the person (as it was, when they already had it)."""
