"""The right of access, continued: a person's loyalty numbers, what they bought, their journey
stage, what they told us (frontline notes and survey answers), the follow-ups about their
purchases, the survey links sent to them and their consent ledger. Only the hashes of survey
tokens are stored; none is exported."""

from __future__ import annotations

from typing import Any

from goodwill.commerce.models import Journey, LoyaltyNumber, Purchase
from goodwill.exchange.export.selectors import iso, who
from goodwill.feedback.models import Feedback, FollowUp, Survey
from goodwill.outreach.models_consent import Consent
from goodwill.people.models import Person


def _purchases(person: Person) -> list[dict[str, Any]]:
    rows = Purchase.objects.filter(person=person).select_related("created_by")
    return [
        {
            "kind": p.kind,
            "occurred_at": iso(p.occurred_at),
            "check_in": p.check_in.isoformat() if p.check_in else None,
            "check_out": p.check_out.isoformat() if p.check_out else None,
            "amount": str(p.amount) if p.amount is not None else None,
            "currency": p.currency,
            "what": p.description,
            "category": p.category,
            "channel": p.channel,
            "reference": p.reference,
            "source": p.source,
            "source_detail": p.source_detail,
            "logged_by": who(p.created_by),
        }
        for p in rows.order_by("occurred_at", "id")
    ]


def _journey(person: Person) -> dict[str, Any] | None:
    journey = Journey.objects.filter(person=person).first()
    if journey is None:
        return None
    return {
        "stage": journey.stage or None,
        "reason": journey.reason,
        "last_purchase_at": iso(journey.last_purchase_at),
        "best_score": journey.best_score,
        "computed_at": iso(journey.computed_at),
    }


def _feedback(person: Person) -> list[dict[str, Any]]:
    rows = Feedback.objects.filter(person=person).select_related("heard_by", "handled_by")
    return [
        {
            "source": f.source,
            "said": f.text,
            "category": f.category,
            "sentiment": f.sentiment,
            "score": f.score,
            "thumbs_up": f.thumbs_up,
            "heard_at": iso(f.heard_at),
            "heard_by": who(f.heard_by),
            "status": f.status,
            "action": f.action,
        }
        for f in rows.order_by("heard_at", "id")
    ]


def _followups(person: Person) -> list[dict[str, Any]]:
    rows = FollowUp.objects.filter(person=person).select_related("asked_by")
    return [
        {
            "purchase_at": iso(f.purchase.occurred_at),
            "method": f.method,
            "asked_at": iso(f.asked_at),
            "asked_by": who(f.asked_by),
        }
        for f in rows.select_related("purchase").order_by("asked_at", "id")
    ]


def _surveys(person: Person) -> list[dict[str, Any]]:
    rows = Survey.objects.filter(person=person).order_by("created_at", "id")
    return [
        {
            "sent_at": iso(s.created_at),
            "expires_at": iso(s.expires_at),
            "answered_at": iso(s.answered_at),
        }
        for s in rows
    ]


def _consents(person: Person) -> list[dict[str, Any]]:
    rows = Consent.objects.filter(person=person).select_related("topic", "recorded_by")
    return [
        {
            "address": c.address,
            "topic": c.topic.name if c.topic else None,
            "basis": c.basis,
            "source": c.source,
            "source_detail": c.source_detail,
            "evidence": c.evidence,
            "recorded_at": iso(c.recorded_at),
            "recorded_by": who(c.recorded_by),
        }
        for c in rows.order_by("recorded_at", "id")
    ]


def commerce_access_data(person: Person) -> dict[str, Any]:
    """The commerce and feedback parts of a person's data (check the reader's role first)."""
    return {
        "loyalty_numbers": list(
            LoyaltyNumber.objects.filter(person=person)
            .order_by("number")
            .values_list("number", flat=True)
        ),
        "purchases": _purchases(person),
        "journey": _journey(person),
        "feedback": _feedback(person),
        "followups": _followups(person),
        "surveys": _surveys(person),
        "consents": _consents(person),
    }
