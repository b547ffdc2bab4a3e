"""REST API of merges: what folding a duplicate person into the one that stays would do, and
doing it (managers and owners)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent
from goodwill.core.errors import Invalid, NotFound
from goodwill.exchange.merge_preview import merge_preview
from goodwill.exchange.services.merge import merge_pair_check, person_merge
from goodwill.exchange.services.merge.touch import Own, TouchLimitsPreview
from goodwill.outreach.selectors.budget import LIMIT_FIELDS
from goodwill.people.api.persons import with_facts
from goodwill.people.api.schemas import PersonOut
from goodwill.people.models import Person
from goodwill.people.selectors import person_get_for_user

merge_router = Router(tags=["merges"])

Side = Literal["survivor", "other", "both"]


class PersonMergeIn(InSchema):
    other_id: int = Field(description="The person merged into this one, then deleted")
    fields: dict[str, Side] = Field(
        default_factory=dict,
        description="Per conflicting field, whose value to keep: survivor (default) or other; "
        "`notes` may also be `both`. Empty fields of the survivor are filled from the other. "
        "`birthday`: whose birthday to keep when both have one (the other one's history moves "
        "to it); the same day with and without a year is one birthday, kept with its year. "
        "`wedding`: whose wedding date to keep when both are tied to the same spouse with "
        "different dates (the other date's history moves to the kept one).",
    )


class PersonMergeOut(PersonOut):
    """The survivor, with everything of the merged person."""


class MergeFieldOut(Schema):
    name: str
    label: str
    survivor: str
    other: str
    conflict: bool = Field(description="Both have a value and they differ: `fields` chooses")


class TouchLimitsOut(Schema):
    """The contact limits in force for one person (their own where set, else the business's)."""

    short_max: int
    short_days: int
    long_max: int
    long_days: int
    min_gap_hours: int
    own: list[str] = Field(description="The limits they set themselves (the rest: the business's)")
    note: str = Field(description="Why they have limits of their own")


class MergeTouchLimitsOut(Schema):
    survivor: TouchLimitsOut
    other: TouchLimitsOut
    kept: TouchLimitsOut = Field(description="The survivor's after the merge")


class MergeLoginOut(Schema):
    survivor: str | None = Field(description="The survivor's login (its email), if any")
    other: str | None = Field(description="The other's login (its email), if any")
    outcome: Literal["none", "kept", "moves", "refused"] = Field(
        description="`moves`: the other's login moves to the survivor (owners only); `refused`: "
        "the merge is refused (both have a login, or only an owner may move it)"
    )
    message: str


class PersonMergePreviewOut(Schema):
    survivor_id: int
    other_id: int
    fields: list[MergeFieldOut]
    moves: dict[str, int] = Field(description="How many of each of the other's facts move")
    touch_limits: MergeTouchLimitsOut
    login: MergeLoginOut


def _limits_out(limits: TouchLimitsPreview, own: Own | None) -> TouchLimitsOut:
    in_force = limits.in_force(own)
    return TouchLimitsOut(
        **{name: getattr(in_force, name) for name in LIMIT_FIELDS},
        own=[name for name in LIMIT_FIELDS if own and own[name] is not None],
        note=(own or {}).get("note") or "",
    )


@merge_router.get(
    "/{person_id}/merge",
    response={200: PersonMergePreviewOut, **ERRORS},
    operation_id="person_merge_preview",
    url_name="person_merge_preview",
)
def merge_person_preview(
    request: HttpRequest, person_id: int, other_id: int
) -> PersonMergePreviewOut:
    """What merging ``other_id`` into this person would do (managers; nothing changes): both
    people's fields side by side, how many of the other's facts would move, and the contact
    limits each has and the survivor would keep (``touch_limits``), as the merge then keeps
    them, and what happens to their logins (``login``)."""
    user: User = request.auth  # type: ignore[attr-defined]
    require_role(user, User.Role.MANAGER)
    survivor, other = _both(user, person_id, other_id)
    merge_pair_check(survivor, other)
    preview = merge_preview(user=user, survivor=survivor, other=other)
    limits = preview.touch_limits
    return PersonMergePreviewOut(
        survivor_id=survivor.pk,
        other_id=other.pk,
        fields=[
            MergeFieldOut(
                name=f.name, label=f.label, survivor=f.survivor, other=f.other, conflict=f.conflict
            )
            for f in preview.fields
        ],
        moves=preview.moves,
        touch_limits=MergeTouchLimitsOut(
            survivor=_limits_out(limits, limits.survivor),
            other=_limits_out(limits, limits.other),
            kept=_limits_out(limits, limits.kept),
        ),
        login=MergeLoginOut(**vars(preview.login)),
    )


def _both(user: User, person_id: int, other_id: int) -> tuple[Person, Person]:
    """The survivor (404 when not found) and the other (422 on ``other_id``)."""
    survivor = person_get_for_user(user=user, person_id=person_id)
    try:
        other = person_get_for_user(user=user, person_id=other_id)
    except NotFound as exc:
        raise Invalid.field("other_id", exc.message) from exc
    return survivor, other


@merge_router.post(
    "/{person_id}/merge",
    response={200: PersonMergeOut, **ERRORS},
    operation_id="person_merge",
    url_name="person_merge",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def merge_person(request: HttpRequest, person_id: int, payload: PersonMergeIn) -> PersonOut:
    """Merge ``other_id`` into this person (managers): emails, phones, roles, organisations,
    interests, tags, relationships, occasions, interactions, messages and history move; one birthday
    is kept (``fields.birthday``), and one wedding date per spouse both have
    (``fields.wedding``); the other's login moves when the survivor has none (owners; 409 when
    both have one, 403 for a manager); the other person is deleted; one ``person.merge`` audit
    entry."""
    user: User = request.auth  # type: ignore[attr-defined]
    require_role(user, User.Role.MANAGER)
    survivor, other = _both(user, person_id, payload.other_id)
    person = person_merge(actor=user, survivor=survivor, other=other, fields=dict(payload.fields))
    return PersonMergeOut.from_orm(with_facts([person])[0])
