"""The weekly feedback digest: on Monday at 08:00 business time, every active manager and owner
with an email gets what customers told us in the last 7 days, by category with counts and
quotes (nothing in a week without feedback). One message per user and week, whatever happens:
the idempotency key is the user and the business-local ISO week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.feedback.models import Feedback
from goodwill.feedback.selectors.digest import CategorySummary, feedback_digest_summary
from goodwill.occasions.selectors.settings import business_zone
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.schedule.registry import Job, NextAfter, register
from goodwill.outreach.services.internal import InternalMail, internal_mail_enqueue

UTC = dt.UTC
MONDAY = 0
SEND_AT = dt.time(8, 0)
WINDOW = dt.timedelta(days=7)
KEY_PREFIX = "feedback-digest"


def weekly_at(weekday: int, at: dt.time, zone_getter: Callable[[], dt.tzinfo]) -> NextAfter:
    """A cadence of once a week on ``weekday`` (Monday 0) at a local wall time; the zone is read
    at each call, so a change of the business's zone applies from the next scheduling on."""

    def next_after(now: dt.datetime) -> dt.datetime:
        zone = zone_getter()
        today = now.astimezone(zone).date()
        day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
        for weeks in range(3):
            wall = dt.datetime.combine(day + dt.timedelta(weeks=weeks), at, tzinfo=zone)
            candidate = wall.astimezone(UTC)
            if candidate > now:
                return candidate
        raise AssertionError("unreachable: a week later is always later")  # pragma: no cover

    next_after.anchored = True  # type: ignore[attr-defined]
    return next_after


def feedback_digest_recipients() -> list[User]:
    """Active managers and owners with an email address."""
    return list(
        User.objects.filter(is_active=True, role__in=[User.Role.MANAGER, User.Role.OWNER])
        .exclude(email="")
        .order_by("pk")
    )


def _quoted(summary: list[CategorySummary], since: dt.datetime, until: dt.datetime) -> set[int]:
    """The people whose own words the summary quotes."""
    quotes = {(s.category, q.text, q.heard_at) for s in summary for q in s.quotes}
    texts = sorted({q.text for s in summary for q in s.quotes})
    said = Feedback.objects.filter(heard_at__gte=since, heard_at__lt=until, text__in=texts)
    said = said.exclude(person=None)
    rows = said.values_list("person_id", "category", "text", "heard_at")
    return {pk for pk, *quote in rows if pk is not None and tuple(quote) in quotes}


def feedback_digest_mail(now: dt.datetime) -> InternalMail | None:
    """The digest of the 7 days before ``now`` as they read now, naming the people it quotes;
    None when nothing was heard."""
    since = now - WINDOW
    summary = feedback_digest_summary(since=since, until=now)
    if not summary:
        return None
    local = now.astimezone(business_zone())
    business = business_get()
    context = {
        "business": business,
        "summary": summary,
        "total": sum(s.count for s in summary),
        "since": (local - WINDOW).date(),
        "until": local.date(),
        "inbox_url": settings.SITE_URL + reverse("feedback:inbox"),
    }
    subject = _("%(business)s — what customers told us, week of %(date)s") % {
        "business": " ".join(business.name.split()),
        "date": (local - WINDOW).date().isoformat(),
    }
    return InternalMail(
        subject=subject,
        template="feedback/email/digest",
        context=context,
        mentions=frozenset(_quoted(summary, since, now)),
    )


def feedback_digest_rerender(message: OutboxMessage) -> InternalMail | None:
    """The digest ``message`` holds, rendered again as the week that ended when it was queued
    reads now."""
    return feedback_digest_mail(message.created_at)


def send_feedback_digests(now: dt.datetime) -> int:
    """Queue last week's feedback digest for every manager and owner; returns how many."""
    users = feedback_digest_recipients()
    mail = feedback_digest_mail(now) if users else None
    if mail is None:
        return 0
    year, week, _day = now.astimezone(business_zone()).isocalendar()
    return internal_mail_enqueue(
        users=users,
        mail=mail,
        key=lambda user: f"{KEY_PREFIX}:{user.pk}:{year}-W{week:02d}",
        rebuild=lambda: feedback_digest_mail(now),
    )


def run(now: dt.datetime) -> None:
    send_feedback_digests(now)


JOB = register(
    Job(
        name="feedback.weekly_digest",
        description=str(gettext_lazy("Email managers what customers told us last week.")),
        run=run,
        next_after=weekly_at(MONDAY, SEND_AT, business_zone),
    )
)
