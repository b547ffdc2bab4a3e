"""Everything goodwill holds about one person (the right of access), as plain JSON values.

The person's own facts come from the people export's ``person_object`` (the same shape as a
JSON export); to them this adds who created them and who noted each interest, their tags,
relationships, their household with its shared address, their occasions (their own, their
couple's and their household's) with what we did each year, their interactions, the messages
sent to them, the campaigns they were chosen for, the touches counted against their budget,
their own contact limits, the preference links sent to them (never a token), the warnings
imports kept about their rows (the values left out of them) and the audit entries about them.
Nothing about other people is included beyond the name of whoever a relationship ties them to
and the staff member who acted.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q

from goodwill.accounts.models import AuditEntry
from goodwill.exchange.export.access_commerce import commerce_access_data
from goodwill.exchange.export.json import person_object
from goodwill.exchange.export.selectors import (
    PERSON_FIELDS,
    Chunk,
    _facts,
    date_value,
    iso,
    who,
)
from goodwill.exchange.export.theirs import audit_about, person_messages, their_rows
from goodwill.exchange.models import ImportProblem
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import CampaignRecipient, PreferenceLink
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch
from goodwill.people.models import Household, Person, PersonInterest, PersonTag, Relationship
from goodwill.timeline.models import Interaction

# A household's shared address, in the order and names of the person's own "address".
ADDRESS_FIELDS = ("street", "locality", "region", "postal_code", "country")


def _interests(person: Person) -> list[dict[str, Any]]:
    rows = PersonInterest.objects.filter(person=person).select_related("interest", "noted_by")
    return [
        {
            "name": pi.interest.name,
            "attitude": pi.attitude,
            "source": pi.source,
            "note": pi.note,
            "noted_at": iso(pi.noted_at),
            "noted_by": who(pi.noted_by),
        }
        for pi in rows.order_by("attitude", "interest__key")
    ]


def _tags(person: Person) -> list[dict[str, Any]]:
    rows = PersonTag.objects.filter(person=person).select_related("tag", "added_by")
    return [
        {
            "name": link.tag.name,
            "source": link.source,
            "source_detail": link.source_detail,
            "added_at": iso(link.added_at),
            "added_by": who(link.added_by),
        }
        for link in rows.order_by("tag__key")
    ]


def _relationships(person: Person) -> list[dict[str, Any]]:
    rows = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))
    out = []
    for rel in rows.select_related("from_person", "to_person").order_by("id"):
        other = rel.other(person.pk)
        out.append(
            {
                "other_person_id": other.pk,
                "other_person": other.full_name,
                "other_is_their": rel.label_for(person.pk),
                "since": rel.since.isoformat() if rel.since else None,
                "notes": rel.notes,
            }
        )
    return out


def _touches(record: OccasionYear) -> list[dict[str, Any]]:
    return [
        {
            "kind": t.kind,
            "summary": t.summary,
            "channel": t.channel,
            "offer_used": t.offer_used,
            "occurred_at": iso(t.occurred_at),
            "by": who(t.created_by),
        }
        for t in record.touches.all()  # prefetched, in order
    ]


def _years(occasion: Occasion) -> list[dict[str, Any]]:
    return [
        {
            "year": y.year,
            "done_at": iso(y.done_at),
            "done_by": who(y.done_by),
            "note": y.note,
            "touches": _touches(y),
        }
        for y in occasion.years.all()  # prefetched, by year
    ]


def _occasions(person: Person) -> list[dict[str, Any]]:
    """Their own occasions and the shared ones (a couple's, their household's), in order added,
    each with its years and their touches: three queries, however many there are."""
    mine = (
        Q(person=person) | Q(relationship__from_person=person) | Q(relationship__to_person=person)
    )
    if person.household_id is not None:
        mine |= Q(household_id=person.household_id)
    touches = OccasionTouch.objects.select_related("created_by").order_by("occurred_at", "id")
    years = (
        OccasionYear.objects.select_related("done_by")
        .order_by("year")
        .prefetch_related(Prefetch("touches", queryset=touches))
    )
    occasions = (
        Occasion.objects.filter(mine)
        .select_related("noted_by")
        .prefetch_related(Prefetch("years", queryset=years))
        .order_by("id")
    )
    return [
        {
            "kind": occ.kind,
            "label": occ.label,
            "date": date_value(occ.year, occ.month, occ.day),
            "shared": occ.person_id is None,
            "source": occ.source,
            "note": occ.note,
            "lead_days": occ.lead_days,
            "noted_by": who(occ.noted_by),
            "years": _years(occ),
        }
        for occ in occasions
    ]


def _interactions(person: Person) -> list[dict[str, Any]]:
    rows = Interaction.objects.filter(person=person).select_related("staff")
    return [
        {
            "kind": i.kind,
            "direction": i.direction,
            "intent": i.intent,
            "channel": i.channel,
            "occurred_at": iso(i.occurred_at),
            "summary": i.summary,
            "details": i.body,
            "staff": who(i.staff),
        }
        for i in rows.order_by("occurred_at", "id")
    ]


def _messages(messages: list[OutboxMessage]) -> list[dict[str, Any]]:
    return [
        {
            "kind": m.kind,
            "subject": m.subject,
            "state": m.state,
            "created_at": iso(m.created_at),
            "sent_at": iso(m.sent_at),
        }
        for m in messages
    ]


def _campaigns(person: Person) -> list[dict[str, Any]]:
    rows = CampaignRecipient.objects.filter(person=person).select_related(
        "campaign__offer", "message", "occasion"
    )
    return [
        {
            "campaign": r.campaign.name,
            "offer": r.campaign.offer.name,
            "address": r.address,
            "why": r.reason,
            "code": r.code,
            "occasion": r.occasion.kind if r.occasion else None,
            "queued_at": iso(r.campaign.queued_at),
            "sent_at": iso(r.message.sent_at) if r.message else None,
            "redeemed_at": iso(r.redeemed_at),
            "replied_at": iso(r.responded_at),
            "reply": r.response_note,
        }
        for r in rows.order_by("campaign__created_at", "id")
    ]


def _outreach_touches(person: Person) -> list[dict[str, Any]]:
    rows = Touch.objects.filter(person=person).select_related(
        "topic", "campaign", "created_by", "override_by"
    )
    return [
        {
            "at": iso(t.at),
            "purpose": t.purpose,
            "intent": t.intent,
            "channel": t.channel,
            "counts": t.counts,
            "urgent": t.urgent,
            "topic": t.topic.name if t.topic else None,
            "summary": t.summary,
            "campaign": t.campaign.name if t.campaign else None,
            "by": who(t.created_by),
            "override_by": who(t.override_by),
        }
        for t in rows.order_by("at", "id")
    ]


def _touch_policy(person: Person) -> dict[str, Any] | None:
    own = PersonTouchPolicy.objects.filter(person=person).select_related("updated_by").first()
    if own is None:
        return None
    return {
        "short_max": own.short_max,
        "short_days": own.short_days,
        "long_max": own.long_max,
        "long_days": own.long_days,
        "min_gap_hours": own.min_gap_hours,
        "note": own.note,
        "updated_at": iso(own.updated_at),
        "updated_by": who(own.updated_by),
    }


def _preference_links(person: Person) -> list[dict[str, Any]]:
    rows = PreferenceLink.objects.filter(person=person).select_related("topic")
    return [
        {
            "address": link.address,
            "topic": link.topic.name if link.topic else None,
            "created_at": iso(link.created_at),
            "expires_at": iso(link.expires_at),
            "used_at": iso(link.used_at),
        }
        for link in rows.order_by("created_at", "id")
    ]


def _import_warnings(person: Person) -> list[dict[str, Any]]:
    """What imports kept about their rows: each value left out of a row that became or updated
    them (and a row of theirs left out as a possible duplicate), with the import's file."""
    rows = ImportProblem.objects.filter(person_id=person.pk).select_related("batch")
    return [
        {
            "kind": p.kind,
            "line": p.line,
            "column": p.column,
            "message": p.message,
            "file_name": p.batch.file_name,
            "imported_at": iso(p.batch.created_at),
        }
        for p in rows.order_by("batch__created_at", "batch_id", "line", "id")
    ]


def _audit(person: Person, messages: list[OutboxMessage]) -> list[dict[str, Any]]:
    """The entries about them, and those about a row of theirs recorded under no one (a message
    to one of their addresses); the entries under someone else about a row they share (a
    couple's wedding) are that person's copies of entries under their own id."""
    about = audit_about(person, their_rows(person, messages))
    theirs = Q(person_id=person.pk) | (Q(person_id__isnull=True) & about)
    rows = AuditEntry.objects.filter(theirs).order_by("at", "id")
    return [
        {
            "action": a.action,
            "at": iso(a.at),
            "by": a.actor_label,
            "what": a.target_type,
            "changes": _their_changes(a),
        }
        for a in rows
    ]


# Keys under which an entry written for many people at once lists their ids: other people's.
_OTHERS_IDS = {"import.chunk": ("people", "updated_people")}


def _their_changes(entry: AuditEntry) -> Any:
    """An entry's changes, less the ids of the other people a bulk write touched."""
    if not isinstance(entry.changes, dict):
        return entry.changes
    bulk = ".bulk_" in entry.action
    drop = _OTHERS_IDS.get(entry.action, ("ids",) if bulk else ())
    return {k: v for k, v in entry.changes.items() if k not in drop}


def _household(household: Household | None) -> dict[str, Any] | None:
    """The household they live in, with its shared address (its notes are the business's)."""
    if household is None:
        return None
    address = {name: getattr(household, name) for name in ADDRESS_FIELDS}
    return {"id": household.pk, "uid": household.uid, "name": household.name, "address": address}


def person_access_data(person: Person) -> dict[str, Any]:
    """Everything about ``person`` as one JSON object (check the reader's role first)."""
    person = Person.objects.select_related("household", "created_by").get(pk=person.pk)
    row = Person.objects.filter(pk=person.pk).values_list(*PERSON_FIELDS).get()
    data = person_object(row, _facts(Chunk(people=[row]), full=True))
    messages = person_messages(person)
    data.update(
        {
            "full_name": person.full_name,
            "household": _household(person.household),
            "created_by": who(person.created_by),
            "source_detail": person.source_detail,
            "interests": _interests(person),
            "tags": _tags(person),
            "relationships": _relationships(person),
            "occasions": _occasions(person),
            "interactions": _interactions(person),
            "messages": _messages(messages),
            "campaigns": _campaigns(person),
            "touches": _outreach_touches(person),
            "touch_policy": _touch_policy(person),
            "preference_links": _preference_links(person),
            **commerce_access_data(person),
            "import_warnings": _import_warnings(person),
            "audit": _audit(person, messages),
        }
    )
    return data
