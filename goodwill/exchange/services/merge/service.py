"""Merge two people into one (managers and owners): everything about ``other`` moves to
``survivor``, chosen fields are taken from ``other``, then ``other`` is deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import Journey
from goodwill.core.errors import Invalid, NotFound
from goodwill.exchange.importer.problems import warnings_move
from goodwill.exchange.services.merge.facts import (
    contacts_move,
    interests_move,
    memberships_move,
    tags_move,
)
from goodwill.exchange.services.merge.fields import PERSON_FIELDS, merge_clean_fields, merged_values
from goodwill.exchange.services.merge.login import login_move
from goodwill.exchange.services.merge.occasions import occasions_move
from goodwill.exchange.services.merge.rest import journey_merge, rest_move
from goodwill.exchange.services.merge.ties import ties_move
from goodwill.exchange.services.merge.touch import touch_policy_move
from goodwill.people.models import Person
from goodwill.people.services import person_reindex


def person_merged_into(person_id: int) -> int | None:
    """The person that a person of this id was merged into (its ``person.merge`` audit entry
    names it), or None: never merged away."""
    entries = AuditEntry.objects.filter(action="person.merge", changes__merged_id__0=person_id)
    return entries.order_by("-pk").values_list("target_id", flat=True).first()


def merge_pair_check(survivor: Person, other: Person) -> None:
    """Refuse a merge of a person with themself (Invalid on ``other_id``): the merge, its
    screen and its preview all refuse it with this one message."""
    if survivor.pk == other.pk:
        raise Invalid.field("other_id", _("A person cannot be merged with themself."))


def _check(actor: User | None, survivor: Person, other: Person) -> None:
    require_role(actor, User.Role.MANAGER)
    merge_pair_check(survivor, other)
    if survivor.archived_at is not None:
        raise Invalid.field("survivor_id", _("Restore the archived person before merging."))


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
        login = login_move(actor, survivor, other)
        counts = contacts_move(survivor, other)
        counts["memberships"], titles, memberships = memberships_move(survivor, other)
        if titles:
            counts["job_titles"] = titles
        counts["interests"] = interests_move(survivor, other)
        counts["tags"] = tags_move(survivor, other)
        counts["relationships"], weddings = ties_move(survivor, other, chosen)
        counts["occasions"], occasions = occasions_move(survivor, other, chosen)
        counts.update(rest_move(survivor, other))
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
        journey_merge(survivor, theirs)
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
