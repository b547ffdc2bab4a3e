"""Reads of the timeline: a person's touches, newest first, in keyset pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor
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
    key = decode_cursor(cursor, size=2)
    if key is not None:
        when = parse_datetime(str(key[0]))
        if when is None:
            raise Invalid.field("cursor", _("This cursor is not valid."))
        qs = qs.filter(occurred_at__lte=when).filter(Q(occurred_at__lt=when) | Q(id__lt=key[1]))
    rows = list(qs.order_by("-occurred_at", "-id")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].occurred_at.isoformat(), rows[-1].pk]))
    return Page(rows)


def interaction_get_for_user(*, user: User | None, interaction_id: int) -> Interaction:
    require_role(user, User.Role.STAFF)
    interaction = (
        Interaction.objects.select_related("person", "staff")
        .filter(pk=interaction_id, person__archived_at=None)
        .first()
    )
    if interaction is None:
        raise NotFound(_("No such interaction."))
    return interaction


def interaction_count_since(*, person: Person, since: dt.datetime) -> int:
    return Interaction.objects.filter(person=person, occurred_at__gte=since).count()
