"""Loyalty, member and card numbers: what a till or booking system knows a customer by, so that a
point-of-sale export can be matched to people who gave no email or phone at the counter."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import LoyaltyNumber
from goodwill.core.errors import Conflict, Invalid
from goodwill.people.models import Person

MAX_LENGTH = 40
_NOISE = re.compile(r"[\s\-]+")


def loyalty_key(number: str) -> str:
    """A loyalty number as stored and compared: no spaces or dashes, upper case
    ("mb 0012-34" -> "MB001234")."""
    return _NOISE.sub("", number or "").upper()


def loyalty_number_set(*, actor: User | None, person: Person, number: str) -> LoyaltyNumber | None:
    """Make ``number`` the loyalty number of ``person`` (any staff member), replacing the one
    they had; "" removes it. Conflict naming the holder when it is someone else's."""
    require_role(actor, User.Role.STAFF)
    key = loyalty_key(number)
    if len(key) > MAX_LENGTH:
        raise Invalid.field("number", _("At most %(n)d characters.") % {"n": MAX_LENGTH})
    held = None
    if key:
        held = LoyaltyNumber.objects.select_related("person").filter(number=key).first()
    if held is not None and held.person_id != person.pk:
        message = _("Loyalty number %(number)s belongs to %(name)s.") % {
            "number": key,
            "name": held.person.full_name,
        }
        raise Conflict(message, fields={"number": [message]})
    before = sorted(person.loyalty_numbers.values_list("number", flat=True))
    if before == ([key] if key else []):
        return held
    with transaction.atomic():
        person.loyalty_numbers.exclude(number=key).delete()
        created = LoyaltyNumber.objects.get_or_create(person=person, number=key)[0] if key else None
        audit_record(
            actor=actor,
            action="loyalty_number.set",
            target=person,
            person_id=person.pk,
            changes={"loyalty_number": [", ".join(before) or None, key or None]},
        )
    return created
