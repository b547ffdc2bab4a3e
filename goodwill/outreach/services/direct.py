"""One-to-one email from the person page, API or command line, through the same checks as a
campaign.

The rule: a one-to-one email is not marketing, but it still reaches a person's inbox, so

* every email needs an address that is not on the suppression list (erased people) — nobody
  can send past that, not even a manager;
* a **giving** email (a thank-you, an answer, good news) must respect the minimum gap after the
  last touch;
* an **asking** email (a review, a booking, a referral) is budgeted like marketing (the short
  and long windows, the gap, a giving touch before asking again, one urgent subject a quarter)
  and needs consent or an existing customer relationship (an express opt-in, legitimate
  interest, or consent implied by a purchase or an inquiry).

A broken rule is a warning: the email is not sent unless a manager ticks "send anyway", which is
audited and stored on the touch (``override_by``). Each email is recorded as a one-to-one touch
(asking ones count against the budget) and as an outbound email on the timeline; written during
the person's quiet hours, it waits in the outbox until they end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email.utils import formataddr

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid, one_of
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.salutation import is_urgent
from goodwill.outreach.selectors.budget import budget_check, quiet_until
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.services.greetings import usable_name
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.outreach.suppression import suppressed
from goodwill.people.models import Person
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

INTENTS = [Touch.Intent.GIVING.value, Touch.Intent.ASKING.value]


@dataclass(frozen=True)
class DirectCheck:
    """What stands in the way of an email to a person: ``blocked`` (no address, or suppressed:
    nobody may send) and ``warnings`` (a manager may send anyway)."""

    address: str
    blocked: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def clear(self) -> bool:
        return not self.blocked and not self.warnings


def direct_email_check(*, person: Person, intent: str, subject: str = "") -> DirectCheck:
    """Whether a one-to-one email of ``intent`` (giving or asking) may go to ``person`` now, by
    the rule in this module's docstring; ``subject`` tells whether it is urgent."""
    intent = one_of("intent", intent, INTENTS)
    address = person.primary_email
    if not address:
        return DirectCheck("", blocked=_("%(name)s has no email address.") % {"name": person})
    if suppressed([address]):
        return DirectCheck(address, blocked=_("%(address)s is on the suppression list.") % {
            "address": address
        })  # fmt: skip
    warnings: list[str] = []
    verdict = budget_check(
        person=person, intent=intent, urgent=is_urgent(subject), purpose=Touch.Purpose.ONE_TO_ONE
    )
    if not verdict.allowed:
        warnings.append(_("Touch budget: %(why)s.") % {"why": verdict.reason})
    if intent == Touch.Intent.ASKING:
        status = consent_status(person=person, address=address, topic=None)
        if not status.valid:
            warnings.append(
                _("No consent or customer relationship for asking: %(why)s.")
                % {"why": status.reason}
            )
    return DirectCheck(address, warnings=warnings)


def _key(person: Person, subject: str, body: str) -> str:
    """The same text to the same person on the same day is one message (a double click)."""
    text = f"{person.pk}\n{subject.strip()}\n{body.strip()}".encode()
    day = timezone.localdate().isoformat()
    return f"direct:{person.pk}:{day}:{hashlib.sha256(text).hexdigest()[:24]}"


def _to(name: str, address: str) -> str:
    """ "Ann <ann@x.org>"; the bare address when it is not ASCII (no display name then). A line
    break typed into a name becomes a space: it can neither add a header nor block the email."""
    name = " ".join(name.split())
    return formataddr((name, address)) if name and address.isascii() else address


def _refuse(check: DirectCheck) -> None:
    if check.blocked:
        raise Invalid.field("to", _("Not sent: %(why)s") % {"why": check.blocked})
    raise Invalid.field(
        "override",
        _("Not sent: %(why)s A manager may send it anyway.") % {"why": " ".join(check.warnings)},
    )


def direct_email_send(
    *,
    actor: User | None,
    person: Person,
    subject: str,
    body: str,
    intent: str,
    override: bool = False,
) -> OutboxMessage:
    """Queue a one-to-one email (staff) after :func:`direct_email_check`; its warnings block
    unless ``override`` (managers only, audited). Replies go to the sender."""
    require_role(actor, User.Role.STAFF)
    if override:
        require_role(actor, User.Role.MANAGER)
    if not (subject or "").strip():
        raise Invalid.field("subject", _("Give a subject."))
    if not (body or "").strip():
        raise Invalid.field("body", _("Write the message."))
    key = _key(person, subject, body)
    earlier = OutboxMessage.objects.filter(idempotency_key=key, touches__isnull=False).first()
    if earlier is not None:
        return earlier  # sent already: the same text, the same day (a double click)
    check = direct_email_check(person=person, intent=intent, subject=subject)
    if check.blocked or (check.warnings and not override):
        _refuse(check)
    overridden = bool(check.warnings)
    name = usable_name(person)
    now = timezone.now()
    with transaction.atomic():
        message = message_enqueue(
            actor=actor,
            kind=OutboxMessage.Kind.TRANSACTIONAL,
            recipients=[_to(name, check.address)],
            subject=subject,
            body_text=body,
            idempotency_key=key,
            person=person,
            reply_to=actor.email if actor is not None else "",
        )
        if Touch.objects.filter(message=message).exists():
            return message  # another request queued it meanwhile
        wait = quiet_until(time_zone=person.time_zone, at=now)
        if wait is not None:  # it goes out when their quiet hours end
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=wait)
            message.next_attempt_at = wait
        interaction = interaction_log(
            actor=actor,
            person=person,
            kind=Interaction.Kind.EMAIL,
            summary=message.subject[:200],
            direction=Interaction.Direction.OUTBOUND,
            intent=intent,
            channel=Touch.Channel.EMAIL,
            occurred_at=now,
            body=body,
        )
        touches_record(
            rows=[
                TouchRow(
                    person_id=person.pk,
                    at=now,
                    purpose=Touch.Purpose.ONE_TO_ONE,
                    intent=intent,
                    urgent=is_urgent(subject),
                    summary=message.subject,
                    message_id=message.pk,
                    interaction_id=interaction.pk,
                    created_by_id=actor.pk if actor is not None else None,
                    override_by_id=actor.pk if overridden and actor is not None else None,
                )
            ]
        )
        if overridden:
            audit_record(
                actor=actor,
                action="email.override",
                target=message,
                person_id=person.pk,
                changes={"intent": [None, intent], "warnings": [None, check.warnings]},
            )
    return message
