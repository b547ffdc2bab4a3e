"""Merge two people into one (managers and owners): everything about ``other`` moves to
``survivor``, chosen fields are taken from ``other``, then ``other`` is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.commerce.models import Journey
from goodwill.commerce.services import journey_note_score, journey_refresh
from goodwill.commerce.services.journey import referrers_of
from goodwill.core.errors import Conflict, Forbidden, Invalid, NotFound
from goodwill.exchange.importer.problems import warnings_move
from goodwill.exchange.services.merge_occasions import (
    UNIQUE_OCCASIONS,
    occasion_fold,
    same_day_fold,
    unique_occasion_pairs,
)
from goodwill.exchange.services.merge_ties import WEDDING, ties_move
from goodwill.exchange.services.merge_touch import touch_policy_move
from goodwill.occasions.models import Occasion
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import CampaignRecipient
from goodwill.outreach.models_touch import PersonTouchPolicy
from goodwill.people.models import (
    Membership,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
    PersonTag,
    Relationship,
)
from goodwill.people.services import person_reindex
from goodwill.people.services.interests import interest_counts_refresh
from goodwill.people.services.person_input import SCALAR_FIELDS
from goodwill.people.services.tags import tag_counts_refresh
from goodwill.timeline.models import Interaction

PERSON_FIELDS = [*SCALAR_FIELDS, "source"]
# The person's fields, their one-per-person occasions (``birthday``), and the wedding date of a
# tie both have: whose to keep.
MERGE_FIELDS = [*PERSON_FIELDS, *UNIQUE_OCCASIONS, WEDDING]
CHOICES = ("survivor", "other")
NOTES_BOTH = "both"  # notes only: the survivor's, then the other's
# Relations moved explicitly below; any other link to a person is re-pointed generically.
HANDLED = {
    PersonEmail,
    PersonPhone,
    PersonRole,
    Membership,
    PersonInterest,
    Relationship,
    Occasion,
    Interaction,
    OutboxMessage,
}
# One row per person (one-to-one): never re-pointed generically, each combined on its own: the
# journey is recomputed from both people's facts, the own contact limits keep the stricter
# (``merge_touch``).
ONE_TO_ONE = {Journey, PersonTouchPolicy}


def merge_clean_fields(fields: dict[str, str] | None) -> dict[str, str]:
    """Every mergeable field with its side ("survivor", "other", or "both" for notes)."""
    chosen = dict.fromkeys(MERGE_FIELDS, "survivor")
    for name, side in (fields or {}).items():
        if name not in MERGE_FIELDS:
            raise Invalid.field("fields", _("Unknown field %(name)s.") % {"name": name})
        if side not in CHOICES and not (name == "notes" and side == NOTES_BOTH):
            message = _("Choose survivor or other for %(name)s.") % {"name": name}
            raise Invalid.field("fields", message)
        chosen[name] = side
    return chosen


def merged_values(survivor: Person, other: Person, chosen: dict[str, str]) -> dict[str, str]:
    """The survivor's field values after the merge; empty survivor fields come from ``other``."""
    values: dict[str, str] = {}
    for name in PERSON_FIELDS:
        side = chosen[name]
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if side == NOTES_BOTH:
            values[name] = "\n\n".join(t for t in (mine, theirs) if t)
        elif side == "other" or not mine:
            values[name] = theirs
        else:
            values[name] = mine
    return values


def person_merged_into(person_id: int) -> int | None:
    """The person that a person of this id was merged into (its ``person.merge`` audit entry
    names it), or None: never merged away."""
    entries = AuditEntry.objects.filter(action="person.merge", changes__merged_id__0=person_id)
    return entries.order_by("-pk").values_list("target_id", flat=True).first()


def _check(actor: User | None, survivor: Person, other: Person) -> None:
    require_role(actor, User.Role.MANAGER)
    if survivor.pk == other.pk:
        raise Invalid.field("other_id", _("A person cannot be merged with themself."))
    if survivor.archived_at is not None:
        raise Invalid.field("survivor_id", _("Restore the archived person before merging."))


def _move_contacts(survivor: Person, other: Person) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model, column, related in (
        (PersonEmail, "email", "emails"),
        (PersonPhone, "e164", "phones"),
    ):
        mine = set(getattr(survivor, related).values_list(column, flat=True))
        theirs = model.objects.filter(person=other)
        theirs.filter(**{f"{column}__in": mine}).delete()
        # The survivor's primary stays primary; with none, the other's primary becomes theirs.
        update: dict[str, Any] = {"person": survivor}
        if mine:
            update["is_primary"] = False
        counts[related] = theirs.update(**update)
    roles = set(survivor.roles.values_list("role", flat=True))
    PersonRole.objects.filter(person=other, role__in=roles).delete()
    counts["roles"] = PersonRole.objects.filter(person=other).update(person=survivor)
    return counts


def _move_memberships(survivor: Person, other: Person) -> tuple[int, int, dict[str, list[Any]]]:
    """The other's organisations the survivor is not in move with their job titles. In one both
    are in, the survivor's membership stays: an empty title of theirs takes the other's; a
    differing title of the other's is not kept but named in the audit ("merged_job_titles").
    Returns how many memberships moved, how many titles were filled, and the audit changes."""
    mine = {m.organisation_id: m for m in Membership.objects.filter(person=survivor)}
    filled: list[str] = []
    dropped: list[str] = []
    shared = Membership.objects.filter(person=other, organisation_id__in=mine)
    for theirs in shared.select_related("organisation").order_by("organisation__name", "pk"):
        kept, title = mine[theirs.organisation_id], theirs.job_title
        label = f"{theirs.organisation.name}: {title}"
        if title and not kept.job_title:
            Membership.objects.filter(pk=kept.pk).update(job_title=title)
            filled.append(label)
        elif title and title != kept.job_title:
            dropped.append(label)
    shared.delete()
    moved = Membership.objects.filter(person=other).update(person=survivor)
    changes: dict[str, list[Any]] = {}
    if filled:
        changes["job_titles"] = [None, "; ".join(filled)]
    if dropped:
        changes["merged_job_titles"] = ["; ".join(dropped), None]
    return moved, len(filled), changes


def _move_interests(survivor: Person, other: Person) -> int:
    """One row per interest: the survivor's wins, keeping the other's note if it has none."""
    mine = {pi.interest_id: pi for pi in PersonInterest.objects.filter(person=survivor)}
    touched = set(mine)
    moved = 0
    for pi in PersonInterest.objects.filter(person=other):
        touched.add(pi.interest_id)
        kept = mine.get(pi.interest_id)
        if kept is None:
            PersonInterest.objects.filter(pk=pi.pk).update(person=survivor)
            moved += 1
            continue
        if not kept.note and pi.note:
            PersonInterest.objects.filter(pk=kept.pk).update(note=pi.note)
        PersonInterest.objects.filter(pk=pi.pk).delete()
    interest_counts_refresh(touched)
    return moved


def _move_tags(survivor: Person, other: Person) -> int:
    """The other's tags the survivor lacks move to the survivor (with their source); a tag both
    have keeps the survivor's link. Returns how many moved."""
    mine = set(PersonTag.objects.filter(person=survivor).values_list("tag_id", flat=True))
    theirs = PersonTag.objects.filter(person=other)
    touched = mine | set(theirs.values_list("tag_id", flat=True))
    theirs.filter(tag_id__in=mine).delete()
    moved = theirs.update(person=survivor)
    tag_counts_refresh(touched)
    return moved


def _move_occasions(
    survivor: Person, other: Person, chosen: dict[str, str]
) -> tuple[int, dict[str, list[Any]]]:
    """Move the other's occasions; where both have a birthday, the chosen one is kept with the
    history of both (it replaces the survivor's, so it is not counted as moved); a date of theirs
    that is one of the survivor's (same kind, label and day) is folded into it. Returns the
    count and the audit changes: which birthday was kept, the one merged away, and the dates
    folded ("merged_occasions")."""
    replaced = 0
    changes: dict[str, list[Any]] = {}
    for pair in unique_occasion_pairs(survivor, other):
        mine, theirs = pair.mine, pair.theirs
        if theirs is None:
            continue
        if mine is None:
            changes[pair.name] = [None, theirs.date_label]
            continue
        kept, dropped = (theirs, mine) if chosen[pair.name] == "other" else (mine, theirs)
        before, merged, note = mine.date_label, theirs.date_label, dropped.note
        occasion_fold(kept, dropped)
        replaced += kept is theirs
        changes[pair.name] = [before, kept.date_label]
        changes[f"merged_{pair.name}"] = [merged, None]
        if note and note != kept.note:
            changes[f"merged_{pair.name}_note"] = [note, None]
    if folded := same_day_fold(survivor, other):
        changes["merged_occasions"] = [folded, None]
    moved = Occasion.objects.filter(person=other).update(person=survivor)
    return moved - replaced, changes


def _move_rest(survivor: Person, other: Person) -> dict[str, int]:
    counts = {
        "interactions": Interaction.objects.filter(person=other).update(person=survivor),
        "messages": OutboxMessage.objects.filter(person=other).update(person=survivor),
        # Entries about them, and those naming them as their target only (a bulk import's):
        # the survivor's history now, and erased with the survivor.
        "audit_entries": AuditEntry.objects.filter(
            Q(person_id=other.pk) | Q(target_type=Person._meta.label_lower, target_id=other.pk)
        ).update(person_id=survivor.pk),
    }
    # Both in one campaign: the survivor's place (its message, code and answers) is the one kept.
    CampaignRecipient.objects.filter(
        person=other,
        campaign__in=CampaignRecipient.objects.filter(person=survivor).values("campaign"),
    ).delete()
    # Links added by later apps (consent records, purchases…) follow the person too.
    for model in apps.get_models():
        if model in HANDLED:
            continue
        for field in model._meta.fields:
            if not (field.many_to_one and field.related_model is Person):
                continue
            query = {field.name: other}
            moved = model._default_manager.filter(**query).update(**{field.name: survivor})
            if moved:
                counts[f"{model._meta.label_lower}.{field.name}"] = moved
    return counts


def _merge_journey(survivor: Person, theirs: Journey | None) -> None:
    """The survivor's stage from both people's purchases (moved above), keeping the better of
    their recommendation scores."""
    if theirs is not None and theirs.best_score is not None and theirs.best_score_at is not None:
        journey_note_score(person=survivor, score=theirs.best_score, at=theirs.best_score_at)
    journey_refresh(person_ids={survivor.pk} | referrers_of([survivor.pk]))


LOGINS_BOTH = _lazy(
    "Both have a login (%(mine)s for %(keep)s, %(theirs)s for %(drop)s) and a person has only "
    "one: an owner must unlink one of them before they are merged."
)
LOGIN_OWNERS_ONLY = _lazy(
    "The login %(theirs)s of %(drop)s would move to %(keep)s, and only an owner may link a "
    "login: an owner must do this merge, or unlink the login first."
)


@dataclass(frozen=True)
class LoginPlan:
    """What a merge does with the two people's logins (their emails): ``outcome`` is "none",
    "kept" (the survivor's), "moves" (the other's, to the survivor) or "refused"; ``message``
    says it in words."""

    survivor: str | None
    other: str | None
    outcome: str
    message: str


def merge_login_plan(actor: User | None, survivor: Person, other: Person) -> LoginPlan:
    """Refused when both have a login (a person has one), or when only the other has one and
    ``actor`` is no owner (moving a login links it: owners only)."""
    mine = survivor.user.email if survivor.user_id is not None and survivor.user else None
    theirs = other.user.email if other.user_id is not None and other.user else None
    names = {"mine": mine, "theirs": theirs, "keep": survivor.full_name, "drop": other.full_name}
    if mine and theirs:
        outcome, text = "refused", str(LOGINS_BOTH)
    elif theirs and not has_role(actor, User.Role.OWNER):
        outcome, text = "refused", str(LOGIN_OWNERS_ONLY)
    elif theirs:
        outcome, text = "moves", _("The login %(theirs)s moves to %(keep)s.")
    elif mine:
        outcome, text = "kept", _("%(keep)s keeps the login %(mine)s.")
    else:
        outcome, text = "none", _("Neither has a login.")
    return LoginPlan(mine, theirs, outcome, text % names)


def _move_login(actor: User | None, survivor: Person, other: Person) -> dict[str, list[Any]]:
    """The other's login moves to the survivor (owners), refused as ``merge_login_plan`` says;
    the audit change naming the login moved."""
    plan = merge_login_plan(actor, survivor, other)
    if plan.outcome == "refused":
        raise (Conflict if plan.survivor else Forbidden)(plan.message)
    if plan.outcome != "moves":
        return {}
    user_id = other.user_id
    Person.objects.filter(pk=other.pk).update(user=None)
    survivor.user_id = user_id
    return {"login": [None, plan.other]}


def person_merge(
    *,
    actor: User | None,
    survivor: Person,
    other: Person,
    fields: dict[str, str] | None = None,
) -> Person:
    """Merge ``other`` into ``survivor`` (managers): facts, ties, occasions, timeline, messages,
    history and own contact limits move; the other's login moves when the survivor has none
    (owners; refused when both have one: ``merge_login_plan``); duplicates are kept once (an
    organisation both are in keeps the survivor's job title, or the other's when the survivor's
    is empty; own contact limits both have keep the stricter of each); ``other`` is deleted;
    one audit entry, naming what of the other's was not kept and the login moved."""
    _check(actor, survivor, other)
    chosen = merge_clean_fields(fields)
    values = merged_values(survivor, other, chosen)
    if not values["given_name"] and not values["family_name"]:
        raise Invalid.field("given_name", _("Enter a given or family name."))
    before = {name: getattr(survivor, name) for name in PERSON_FIELDS}
    other_id, other_name = other.pk, other.full_name
    with transaction.atomic():
        # Two merges of the same person at once: the second finds them gone.
        both = Person.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])
        users = dict(both.values_list("pk", "user_id"))
        if len(users) != 2:
            raise NotFound(_("No such person."))
        # Refused before anything moves; with the logins as they are now (linked meanwhile?).
        survivor.user_id, other.user_id = users[survivor.pk], users[other.pk]
        login = _move_login(actor, survivor, other)
        counts = _move_contacts(survivor, other)
        counts["memberships"], titles, memberships = _move_memberships(survivor, other)
        if titles:
            counts["job_titles"] = titles
        counts["interests"] = _move_interests(survivor, other)
        counts["tags"] = _move_tags(survivor, other)
        counts["relationships"], weddings = ties_move(survivor, other, chosen)
        counts["occasions"], occasions = _move_occasions(survivor, other, chosen)
        counts.update(_move_rest(survivor, other))
        # One-to-one with the person, so not re-pointed above; deleting ``other`` would drop it.
        touch_moved, touch_limits = touch_policy_move(actor, survivor, other)
        if touch_moved:
            counts["touch_policy"] = touch_moved
        counts["login"] = len(login)
        warnings_move(other.pk, survivor.pk)
        theirs = Journey.objects.filter(person=other).first()
        if survivor.household_id is None and other.household_id is not None:
            survivor.household_id = other.household_id
            counts["household"] = 1
        for name, value in values.items():
            setattr(survivor, name, value)
        other.delete()
        survivor.save(update_fields=[*PERSON_FIELDS, "household", "user", "updated_at"])
        person_reindex(survivor)
        _merge_journey(survivor, theirs)
        changed = {k: [before[k], values[k]] for k in PERSON_FIELDS if before[k] != values[k]}
        audit_record(
            actor=actor,
            action="person.merge",
            target=survivor,
            person_id=survivor.pk,
            changes={
                "merged_id": [other_id, None],
                "merged_name": [other_name, None],
                "moved": [None, counts],
                **changed,
                **memberships,
                **occasions,
                **weddings,
                **touch_limits,
                **login,
            },
        )
    return survivor
