"""The rows that are about one person: their addresses, the messages sent to them, and every
row an erasure removes with them (``their_rows``) — the same rows whose audit entries their
access export lists and their erasure deletes (``audit_about``)."""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet, TextField
from django.db.models.functions import Cast

from goodwill.commerce.models import Journey, LoyaltyNumber, Purchase
from goodwill.feedback.models import Feedback, FollowUp, Survey
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import CampaignRecipient, PreferenceLink
from goodwill.outreach.models_consent import Consent
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch
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
from goodwill.timeline.models import Interaction


def person_emails(person: Person) -> set[str]:
    """Every address of ``person`` (their emails and the primary one), lower-cased."""
    emails = {e.lower() for e in person.emails.values_list("email", flat=True)}
    return emails | ({person.primary_email.lower()} if person.primary_email else set())


def address_holders(person: Person) -> dict[str, list[Person]]:
    """Each address of ``person`` that someone else holds too (a couple's shared address) ->
    those others, by name: it is theirs as well, so erasing ``person`` leaves it usable."""
    emails = person_emails(person)
    if not emails:
        return {}
    held = Q(emails__email__in=sorted(emails)) | Q(primary_email__in=sorted(emails))
    others = Person.objects.filter(held).exclude(pk=person.pk).distinct().order_by("sort_key", "id")
    holders: dict[str, list[Person]] = {}
    for other in others.prefetch_related("emails"):
        theirs = {e.email.lower() for e in other.emails.all()} | {other.primary_email.lower()}
        for email in sorted(emails & theirs):
            holders.setdefault(email, []).append(other)
    return holders


def person_messages(person: Person) -> list[OutboxMessage]:
    """Outbox messages to ``person``: linked to them, or linked to nobody with one of their
    addresses among the recipients (searched as text, then checked exactly). A message linked
    to someone else is theirs, even when it went to an address the two share."""
    emails = person_emails(person)
    text = Q()
    for email in emails:
        text |= Q(recipients_text__icontains=email)
    qs = OutboxMessage.objects.annotate(recipients_text=Cast("recipients", TextField()))
    unlinked = Q(person__isnull=True) & text
    found = qs.filter(Q(person=person) | unlinked).order_by("created_at", "id") if emails else None
    rows = list(found) if found is not None else list(qs.filter(person=person).order_by("id"))
    return [
        m
        for m in rows
        if m.person_id == person.pk
        or (m.person_id is None and emails & {str(r).lower() for r in m.recipients})
    ]


def _ids(qs: QuerySet[Model, Model]) -> list[int]:
    return list(qs.values_list("pk", flat=True))


# Rows that belong to one person through their ``person`` field, in the order an erasure lists
# them: their facts, and then the records the other apps keep about them.
_FACTS: tuple[type[Model], ...] = (
    PersonEmail,
    PersonPhone,
    PersonRole,
    Membership,
    PersonInterest,
    PersonTag,
)
_RECORDS: tuple[type[Model], ...] = (
    Purchase,
    LoyaltyNumber,
    Journey,
    Feedback,
    FollowUp,
    Survey,
    Consent,
    CampaignRecipient,
    Touch,
    PersonTouchPolicy,
    PreferenceLink,
)


def _held(models: tuple[type[Model], ...], person: Person) -> dict[type[Model], list[int]]:
    return {model: _ids(model._default_manager.filter(person=person)) for model in models}


def their_rows(
    person: Person, messages: list[OutboxMessage] | None = None
) -> dict[type[Model], list[int]]:
    """The ids of every row about ``person`` that the erasure removes, by model (``messages``:
    their ``person_messages``, when the caller has read them already)."""
    messages = person_messages(person) if messages is None else messages
    rels = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))
    rel_ids = _ids(rels)
    occasions = Occasion.objects.filter(Q(person=person) | Q(relationship_id__in=rel_ids))
    occasion_ids = _ids(occasions)
    years = OccasionYear.objects.filter(occasion_id__in=occasion_ids)
    year_ids = _ids(years)
    return {
        Person: [person.pk],
        **_held(_FACTS, person),
        Relationship: rel_ids,
        Occasion: occasion_ids,
        OccasionYear: year_ids,
        OccasionTouch: _ids(OccasionTouch.objects.filter(record_id__in=year_ids)),
        Interaction: _ids(Interaction.objects.filter(person=person)),
        OutboxMessage: [m.pk for m in messages],
        **_held(_RECORDS, person),
    }


def audit_about(person: Person, rows: dict[type[Model], list[int]]) -> Q:
    """The audit entries about ``person`` or about any of their ``rows``."""
    about = Q(person_id=person.pk)
    for model, ids in rows.items():
        if ids:
            about |= Q(target_type=model._meta.label_lower, target_id__in=ids)
    return about
