"""Preference links and what people do with them, without logging in.

Every marketing message carries one link token, made here: ``/u/<token>/`` unsubscribes from the
message's topic (one click or one POST, RFC 8058) and ``/p/<token>/`` opens the person's
preference page for every topic. Only the token's SHA-256 is stored; a link works for two years.

What the person does is recorded on the consent ledger as their own act (``actor=None``):
an unsubscribe is a withdrawal with source ``unsubscribe``; the preference page records
withdrawals and opt-ins with source ``form``. Such a withdrawal is only lifted by the person's
own later opt-in on that page — never by staff, an import or the API.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goodwill.core.errors import Invalid
from goodwill.core.tokens import new_token, token_hash
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import PreferenceLink
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.selectors.preferences import preference_link_get
from goodwill.outreach.services.consent import consent_record
from goodwill.people.models import Person
from goodwill.people.services.bulk_sql import db_value, insert_rows

VALID_DAYS = 730
UNSUBSCRIBE_EVIDENCE = (
    "Unsubscribe link of a message: pressed “Unsubscribe” (or the email program's one-click "
    "unsubscribe)."
)
_SAVE = "under “Send me emails about:” and pressed “Save my choices”."
PAGE_EVIDENCE = {
    Consent.Basis.WITHDRAWN: f"Preference page: unticked the topic {_SAVE}",
    Consent.Basis.EXPRESS: f"Preference page: ticked the topic {_SAVE}",
}
EVERYTHING_EVIDENCE = "Preference page: pressed “Unsubscribe from everything”."


def unsubscribe_url(raw: str) -> str:
    """The absolute unsubscribe address of a token (the site URL, never a request's host)."""
    return settings.SITE_URL + reverse("outreach:unsubscribe", args=[raw])


def preferences_url(raw: str) -> str:
    """The absolute preference page address of a token."""
    return settings.SITE_URL + reverse("outreach:preferences", args=[raw])


def preference_link_create(
    *,
    person: Person,
    address: str,
    topic: Topic | None,
    message: OutboxMessage | None = None,
) -> str:
    """A new link for ``person`` at ``address`` about ``topic`` (None: everything); returns the
    raw token, which is never stored. Made by the system for a message, so no actor."""
    raw = new_token()
    PreferenceLink.objects.create(
        token_hash=token_hash(raw),
        person=person,
        address=address.strip().lower(),
        topic=topic,
        message=message,
        expires_at=timezone.now() + dt.timedelta(days=VALID_DAYS),
    )
    return raw


def preference_links_bulk(rows: list[tuple[int, str, int | None]]) -> list[str]:
    """One link per (person id, address, topic id) row in one bulk insert; the raw tokens in the
    same order. For queueing a campaign to thousands without a query per person."""
    now = timezone.now()
    raws = [new_token() for _row in rows]
    created = db_value(PreferenceLink, "created_at", now)
    expires = db_value(PreferenceLink, "expires_at", now + dt.timedelta(days=VALID_DAYS))
    insert_rows(
        PreferenceLink,
        ("token_hash", "person_id", "address", "topic_id", "created_at", "expires_at"),
        [
            (token_hash(raw), person_id, address.strip().lower(), topic_id, created, expires)
            for raw, (person_id, address, topic_id) in zip(raws, rows, strict=True)
        ],
    )
    return raws


def _withdraw(link: PreferenceLink, topic: Topic | None, source: str, evidence: str) -> None:
    consent_record(
        actor=None,
        person=link.person,
        address=link.address,
        topic=topic,
        basis=Consent.Basis.WITHDRAWN,
        source=source,
        evidence=evidence,
        source_detail=f"preference link {link.pk}",
    )


def preference_unsubscribe(*, token: str) -> PreferenceLink:
    """Unsubscribe the link's address from the link's topic (no topic: from everything), at
    once. NotFound for an unknown, tampered or expired token (nothing is stored then).

    A second use adds nothing: once the link has been used and the address is still withdrawn,
    the ledger already says so. If the person has opted in again since, a new unsubscribe counts.
    An address the person no longer has cannot go on their ledger (the consent service refuses
    it); nothing is sent to it for them any more, so the link is only marked used."""
    link = preference_link_get(token=token)
    with transaction.atomic():
        unused = PreferenceLink.objects.filter(pk=link.pk, used_at=None)
        first = unused.update(used_at=timezone.now()) == 1
        if (
            first
            or consent_status(person=link.person, address=link.address, topic=link.topic).valid
        ):
            # Invalid: the address left the person's record (see the docstring).
            with contextlib.suppress(Invalid):
                _withdraw(link, link.topic, Consent.Source.UNSUBSCRIBE, UNSUBSCRIBE_EVIDENCE)
    return link


def preferences_save(*, token: str, wanted: dict[int, bool]) -> int:
    """Record the person's choices from their preference page: ``wanted`` maps a topic id to
    whether they want emails about it. Only changes are recorded — an unticked topic they could
    be written to becomes a withdrawal (source form); a ticked topic they cannot be written to
    becomes their own opt-in (express, source form), which also lifts an earlier unsubscribe.
    Returns how many ledger rows were added; NotFound for a bad token."""
    link = preference_link_get(token=token)
    topics = Topic.objects.filter(pk__in=list(wanted)).order_by("pk")
    added = 0
    with transaction.atomic():
        for topic in topics:
            now = consent_status(person=link.person, address=link.address, topic=topic).valid
            if now == wanted[topic.pk]:
                continue
            basis = Consent.Basis.EXPRESS if wanted[topic.pk] else Consent.Basis.WITHDRAWN
            consent_record(
                actor=None,
                person=link.person,
                address=link.address,
                topic=topic,
                basis=basis,
                source=Consent.Source.FORM,
                evidence=PAGE_EVIDENCE[basis],
                source_detail=f"preference link {link.pk}",
            )
            added += 1
    return added


def preferences_unsubscribe_all(*, token: str) -> PreferenceLink:
    """Withdraw the link's address from every topic (one ledger row, topic none, source form);
    only the person's own later opt-in for a topic lifts it. NotFound for a bad token."""
    link = preference_link_get(token=token)
    _withdraw(link, None, Consent.Source.FORM, EVERYTHING_EVIDENCE)
    return link
