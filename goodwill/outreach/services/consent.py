"""Every write of topics and the consent ledger. The ledger is append-only: recording an opt-in
or a withdrawal adds a row; nothing here changes or deletes one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Forbidden, Invalid, one_of
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.people.models import Person
from goodwill.people.normalize import fold, normalise_email

TOPIC_FIELDS = ["name", "key", "description", "legitimate_interest"]
STAFF_SOURCES = (Consent.Source.STAFF, Consent.Source.API, Consent.Source.IMPORT)


def _topic_key(name: str, exclude: int | None = None) -> tuple[str, str]:
    """The cleaned name and its folded key; Conflict when another topic has the key."""
    name = " ".join((name or "").split())[:100]
    if not name:
        raise Invalid.field("name", _("Give the topic a name."))
    key = fold(name)[:100]  # folding may lengthen a name ("…" becomes "...")
    clash = Topic.objects.filter(key=key)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        message = _("A topic called “%(name)s” already exists.") % {"name": name}
        raise Conflict(f"name: {message}", fields={"name": [message]})
    return name, key


def topic_create(
    *, actor: User | None, name: str, description: str = "", legitimate_interest: bool = False
) -> Topic:
    """Add a topic (managers and owners); names are unique once folded."""
    require_role(actor, User.Role.MANAGER)
    name, key = _topic_key(name)
    with transaction.atomic():
        topic = Topic.objects.create(
            name=name,
            key=key,
            description=description.strip(),
            legitimate_interest=legitimate_interest,
        )
        audit_record(
            actor=actor,
            action="topic.create",
            target=topic,
            changes=snapshot(topic, TOPIC_FIELDS),
        )
    return topic


def topic_update(
    *,
    actor: User | None,
    topic: Topic,
    name: str | None = None,
    description: str | None = None,
    legitimate_interest: bool | None = None,
) -> Topic:
    """Rename or redescribe a topic, or change its basis (managers and owners)."""
    require_role(actor, User.Role.MANAGER)
    before = snapshot(topic, TOPIC_FIELDS)
    if name is not None:
        topic.name, topic.key = _topic_key(name, exclude=topic.pk)
    if description is not None:
        topic.description = description.strip()
    if legitimate_interest is not None:
        topic.legitimate_interest = legitimate_interest
    changes = diff(before, snapshot(topic, TOPIC_FIELDS))
    if changes:
        with transaction.atomic():
            topic.save()
            audit_record(actor=actor, action="topic.update", target=topic, changes=changes)
    return topic


def _address(person: Person, address: str) -> str:
    """The normalised address; Invalid unless it is one of the person's emails."""
    try:
        email = normalise_email(address)
    except ValueError as exc:
        raise Invalid.field("address", str(exc)) from exc
    if not person.emails.filter(email=email).exists():
        raise Invalid.field("address", _("That address is not one of this person's."))
    return email


def _when(at: dt.datetime | None) -> dt.datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise Invalid.field("at", _("Give the time with its time zone."))
    if at > timezone.now() + dt.timedelta(days=1):
        raise Invalid.field("at", _("This is in the future."))
    return at


def consent_record(
    *,
    actor: User | None,
    person: Person,
    address: str,
    topic: Topic | None = None,
    basis: str,
    source: str,
    evidence: str = "",
    source_detail: str = "",
    at: dt.datetime | None = None,
) -> Consent:
    """Add one ledger row: an opt-in or a withdrawal (basis ``withdrawn``) for an address, for
    ``topic`` or every topic. Staff record what they were told (sources staff, api, import); the
    person's own acts (form, unsubscribe) come only from the system (``actor=None``)."""
    source = one_of("source", source, list(Consent.Source.values))
    if source in STAFF_SOURCES:
        require_role(actor, User.Role.STAFF)
    elif actor is not None:
        raise Forbidden(_("Only the person themself can opt in or unsubscribe this way."))
    basis = one_of("basis", basis, list(Consent.Basis.values))
    email = _address(person, address)
    with transaction.atomic():
        row = Consent.objects.create(
            person=person,
            address=email,
            topic=topic,
            basis=basis,
            source=source,
            source_detail=source_detail.strip()[:300],
            evidence=evidence.strip(),
            recorded_at=_when(at),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="consent.record",
            target=row,
            person_id=person.pk,
            changes={"address": email, "topic": topic, "basis": basis, "source": source},
        )
    return row
