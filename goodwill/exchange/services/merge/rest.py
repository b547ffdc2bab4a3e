"""A merge's part in everything else that names the other person: their timeline, messages and
history, any link a later app adds, and the journey recomputed from both people's facts."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from goodwill.accounts.models import AuditEntry
from goodwill.commerce.models import Journey
from goodwill.commerce.services import journey_note_score, journey_refresh
from goodwill.commerce.services.journey import referrers_of
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
    Relationship,
)
from goodwill.timeline.models import Interaction

# Relations the merge moves explicitly (here and in its other parts); any other link to a
# person is re-pointed generically.
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
# (``merge.touch``).
ONE_TO_ONE = {Journey, PersonTouchPolicy}


def rest_move(survivor: Person, other: Person) -> dict[str, int]:
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


def journey_merge(survivor: Person, theirs: Journey | None) -> None:
    """The survivor's stage from both people's purchases (moved above), keeping the better of
    their recommendation scores."""
    if theirs is not None and theirs.best_score is not None and theirs.best_score_at is not None:
        journey_note_score(person=survivor, score=theirs.best_score, at=theirs.best_score_at)
    journey_refresh(person_ids={survivor.pk} | referrers_of([survivor.pk]))
