"""Reads of the timeline: a person's touches, newest first, in keyset pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.core.errors import NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor, invalid_cursor
from goodwill.people.models import Person
from goodwill.people.selectors import Page
from goodwill.people.selectors.persons import clamp_limit
from goodwill.timeline.models import Interaction


def interaction_list_for_person(
    *, user: User | None, person: Person, cursor: str | None = None, limit: int | None = None
) -> Page[Interaction]:
    """``person``'s timeline newest first; the cursor is the last row's (occurred_at, id)."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit, default=20)
    qs = Interaction.objects.filter(person=person).select_related("staff")
    key = decode_cursor(cursor, types=(str, int))
    if key is not None:
        try:
            when = parse_datetime(key[0])
        except ValueError:
            when = None
        if when is None or timezone.is_naive(when):
            raise invalid_cursor()
        qs = qs.filter(occurred_at__lte=when).filter(Q(occurred_at__lt=when) | Q(id__lt=key[1]))
    rows = list(qs.order_by("-occurred_at", "-id")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].occurred_at.isoformat(), rows[-1].pk]))
    return Page(rows)


def interaction_get_for_user(*, user: User | None, interaction_id: int) -> Interaction:
    require_role(user, User.Role.STAFF)
    qs = Interaction.objects.select_related("person", "staff")
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(person__archived_at=None)
    interaction = qs.filter(pk=interaction_id).first()
    if interaction is None:
        raise NotFound(_("No such interaction."))
    return interaction
