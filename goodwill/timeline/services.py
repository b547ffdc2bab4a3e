"""Every write to the timeline: logging, correcting and removing interactions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.people.models import Person
from goodwill.timeline.models import Interaction

FIELDS = ["kind", "direction", "intent", "channel", "occurred_at", "summary", "body", "staff"]


def _validate(interaction: Interaction) -> None:
    if interaction.kind not in Interaction.Kind.values:
        raise Invalid.field("kind", _("Unknown kind %(kind)s.") % {"kind": interaction.kind})
    if interaction.direction not in Interaction.Direction.values:
        raise Invalid.field(
            "direction", _("Unknown direction %(d)s.") % {"d": interaction.direction}
        )
    if interaction.intent not in Interaction.Intent.values:
        raise Invalid.field("intent", _("Unknown intent %(i)s.") % {"i": interaction.intent})
    interaction.summary = (interaction.summary or "").strip()
    if not interaction.summary:
        raise Invalid.field("summary", _("Say in a few words what happened."))
    if len(interaction.summary) > 200:
        raise Invalid.field("summary", _("At most %(n)d characters.") % {"n": 200})
    interaction.channel = (interaction.channel or "").strip()[:40]
    if timezone.is_naive(interaction.occurred_at):
        raise Invalid.field("occurred_at", _("Give the time with its time zone."))
    if interaction.occurred_at > timezone.now() + dt.timedelta(days=1):
        raise Invalid.field("occurred_at", _("This is in the future."))


def interaction_log(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    summary: str,
    direction: str = Interaction.Direction.IN_PERSON,
    intent: str = Interaction.Intent.NEUTRAL,
    channel: str = "",
    occurred_at: dt.datetime | None = None,
    body: str = "",
    staff: User | None = None,
) -> Interaction:
    """Add a touch to ``person``'s timeline; the staff member (an active login) defaults to the
    logger."""
    require_role(actor, User.Role.STAFF)
    if staff is not None and not staff.is_active:
        raise Invalid.field("staff", _("%(user)s is deactivated.") % {"user": staff})
    interaction = Interaction(
        person=person,
        kind=kind,
        summary=summary,
        direction=direction,
        intent=intent,
        channel=channel,
        occurred_at=occurred_at or timezone.now(),
        body=(body or "").strip(),
        staff=staff or actor,
        created_by=actor,
    )
    _validate(interaction)
    with transaction.atomic():
        interaction.save()
        audit_record(
            actor=actor,
            action="interaction.log",
            target=interaction,
            person_id=person.pk,
            changes={"kind": [None, kind], "summary": [None, interaction.summary]},
        )
    return interaction


def interaction_update(
    *, actor: User | None, interaction: Interaction, **fields: object
) -> Interaction:
    """Correct an interaction: its author, or a manager."""
    if actor is None or actor.pk != interaction.created_by_id:
        require_role(actor, User.Role.MANAGER)
    else:
        require_role(actor, User.Role.STAFF)
    before = snapshot(interaction, FIELDS)
    for name, value in fields.items():
        if name not in FIELDS or name == "staff":
            raise Invalid.field(name, _("Unknown field."))
        setattr(interaction, name, value)
    _validate(interaction)
    with transaction.atomic():
        interaction.save()
        audit_record(
            actor=actor,
            action="interaction.update",
            target=interaction,
            person_id=interaction.person_id,
            changes=diff(before, snapshot(interaction, FIELDS)),
        )
    return interaction


def interaction_delete(*, actor: User | None, interaction: Interaction) -> None:
    """Remove an interaction (managers)."""
    require_role(actor, User.Role.MANAGER)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="interaction.delete",
            target=interaction,
            person_id=interaction.person_id,
            changes={"summary": [interaction.summary, None]},
        )
        interaction.delete()
