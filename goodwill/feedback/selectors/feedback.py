"""Reads of feedback: the manager's inbox in keyset pages, one item, a person's latest."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor, invalid_cursor
from goodwill.feedback.models import Feedback
from goodwill.people.models import Person
from goodwill.people.selectors import Page
from goodwill.people.selectors.persons import clamp_limit

PERSON_LATEST = 5


def _visible() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("person", "heard_by", "handled_by")


def _filter(
    qs: QuerySet[Feedback], name: str, value: str | None, choices: list[str]
) -> QuerySet[Feedback]:
    """``qs`` narrowed to ``name == value``; an unknown value is Invalid naming the filter."""
    if not value:
        return qs
    if value not in choices:
        message = _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
        raise Invalid.field(name, message)
    return qs.filter(**{name: value})


def _after(qs: QuerySet[Feedback], cursor: str | None) -> QuerySet[Feedback]:
    """Rows after the cursor's (heard_at, id), newest first."""
    key = decode_cursor(cursor, types=(str, int))
    if key is None:
        return qs
    try:
        when = parse_datetime(key[0])
    except ValueError:
        when = None
    if when is None or timezone.is_naive(when):
        raise invalid_cursor()
    return qs.filter(heard_at__lte=when).filter(Q(heard_at__lt=when) | Q(id__lt=key[1]))


def feedback_inbox(
    *,
    user: User | None,
    status: str | None = None,
    category: str | None = None,
    sentiment: str | None = None,
    source: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Feedback]:
    """What customers told us, newest first, for managers and owners; the cursor is the last
    row's (heard_at, id)."""
    require_role(user, User.Role.MANAGER)
    limit = clamp_limit(limit)
    qs = _visible()
    qs = _filter(qs, "status", status, list(Feedback.Status.values))
    qs = _filter(qs, "category", category, list(Feedback.Category.values))
    qs = _filter(qs, "sentiment", sentiment, list(Feedback.Sentiment.values))
    qs = _filter(qs, "source", source, list(Feedback.Source.values))
    rows = list(_after(qs, cursor).order_by("-heard_at", "-id")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].heard_at.isoformat(), rows[-1].pk]))
    return Page(rows)


def feedback_get_for_user(*, user: User | None, feedback_id: int) -> Feedback:
    """One piece of feedback, for managers and owners."""
    require_role(user, User.Role.MANAGER)
    feedback = _visible().filter(pk=feedback_id).first()
    if feedback is None:
        raise NotFound(_("No such feedback."))
    return feedback


def feedback_list_for_person(*, user: User | None, person: Person) -> list[Feedback]:
    """The newest feedback of ``person`` for managers and owners; empty for everyone else."""
    if not has_role(user, User.Role.MANAGER):
        return []
    qs = Feedback.objects.filter(person=person)
    return list(qs.order_by("-heard_at", "-id")[:PERSON_LATEST])
