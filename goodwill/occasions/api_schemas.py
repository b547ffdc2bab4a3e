"""Schemas of the occasions and agenda API."""

import datetime as dt

from ninja import Field, Schema

from goodwill.core.api import InSchema
from goodwill.occasions.models import OccasionTouch, OccasionYear

# --- occasions -------------------------------------------------------------------------------


class OccasionOut(Schema):
    """A yearly date of exactly one person, couple (relationship) or household."""

    id: int
    person_id: int | None
    relationship_id: int | None
    household_id: int | None
    kind: str
    title: str
    label: str
    month: int
    day: int
    year: int | None
    date: str = Field(description="ISO 8601 date, or --MM-DD without a year")
    lead_days: int | None = Field(description="Null: the kind's default from the settings")
    effective_lead_days: int
    source: str
    note: str
    next_date: dt.date = Field(description="The next day it is celebrated, from today")
    turning: int | None = Field(description="The age or number of years on next_date")
    turning_label: str
    created_at: dt.datetime
    updated_at: dt.datetime


class OccasionGetOut(OccasionOut):
    """One occasion."""


class OccasionListOut(Schema):
    items: list[OccasionOut]
    next_cursor: str | None


class OccasionCreateIn(InSchema):
    person_id: int | None = None
    relationship_id: int | None = Field(None, description="A couple: a spouse relationship")
    household_id: int | None = None
    kind: str = Field(description="birthday, wedding_anniversary, anniversary or custom")
    month: int
    day: int
    year: int | None = None
    label: str = ""
    lead_days: int | None = Field(None, description="0-365; the kind's default if left out")
    source: str = Field("told_us", description="told_us, staff_observed, imported or form")
    note: str = ""


class OccasionCreateOut(OccasionOut):
    """The new occasion."""


class OccasionUpdateIn(InSchema):
    month: int | None = None
    day: int | None = None
    year: int | None = Field(None, description="null clears the year")
    label: str | None = None
    lead_days: int | None = Field(None, description="null: the kind's default")
    source: str | None = None
    note: str | None = None


class OccasionUpdateOut(OccasionOut):
    """The occasion after the change."""


# --- yearly memory ---------------------------------------------------------------------------


class TouchOut(Schema):
    id: int
    occasion_id: int
    year: int
    kind: str
    summary: str
    channel: str
    offer_used: bool | None
    interaction_id: int | None
    occurred_at: dt.datetime
    created_by_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_occasion_id(obj: OccasionTouch) -> int:
        return obj.record.occasion_id

    @staticmethod
    def resolve_year(obj: OccasionTouch) -> int:
        return obj.record.year


class OccasionYearOut(Schema):
    """What we did for an occasion in one year, and whether it is done."""

    occasion_id: int
    year: int
    done: bool
    done_at: dt.datetime | None
    done_by_id: int | None
    note: str
    touches: list[TouchOut]

    @staticmethod
    def resolve_done(obj: OccasionYear) -> bool:
        return obj.done_at is not None

    @staticmethod
    def resolve_touches(obj: OccasionYear) -> list[OccasionTouch]:
        return list(obj.touches.all())


class OccasionHistoryOut(Schema):
    items: list[OccasionYearOut]
    next_cursor: str | None


class OccasionDoneIn(InSchema):
    year: int = Field(description="The year it was celebrated in")
    note: str = ""


class OccasionDoneOut(OccasionYearOut):
    """The year, marked done."""


class OccasionTouchCreateIn(InSchema):
    year: int = Field(description="The year it was celebrated in")
    kind: str = Field(description="greeting, offer, call, gift, visit or note")
    summary: str
    channel: str = ""
    offer_used: bool | None = None
    timeline: bool = Field(True, description="Also log it on each person's timeline")
    mark_done: bool = Field(True, description="Also mark the year done")
    occurred_at: dt.datetime | None = Field(None, description="When (default: now)")


class OccasionTouchCreateOut(TouchOut):
    """What we did, remembered."""


class OccasionTouchUpdateIn(InSchema):
    offer_used: bool = Field(description="Whether the offer was used")


class OccasionTouchUpdateOut(TouchOut):
    """The touch with the offer's outcome."""


# --- agenda ----------------------------------------------------------------------------------


class AgendaPersonOut(Schema):
    id: int
    name: str
    call_name: str


class AgendaTouchOut(Schema):
    kind: str
    summary: str
    offer_used: bool | None


class AgendaYearOut(Schema):
    year: int
    done: bool
    touches: list[AgendaTouchOut]


class AgendaEntryOut(Schema):
    occasion_id: int
    kind: str
    title: str
    date: dt.date = Field(description="The day it is celebrated on")
    days_until: int
    turning: int | None
    turning_label: str
    people: list[AgendaPersonOut]
    call_names: str
    done: bool
    last_year: AgendaYearOut | None = Field(description="What we did last year")


class AgendaOut(Schema):
    """One page of the agenda of ``date``: soonest first, then by occasion id."""

    date: dt.date
    entries: list[AgendaEntryOut]
    next_cursor: str | None
