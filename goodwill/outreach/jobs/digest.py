"""The morning digest: at the business's digest time, each user who opted in gets today's
agenda by email (nothing on a day with nothing on it). One message per user and day, whatever
happens: the idempotency key is the user and the business-local date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.occasions.selectors.agenda import agenda
from goodwill.occasions.selectors.settings import business_today, business_zone, occasion_settings
from goodwill.outreach.schedule.registry import Job, daily_at, register
from goodwill.outreach.services.internal import internal_mail_enqueue

DIGEST_ENTRIES = 100


def digest_recipients() -> list[User]:
    """Active users with an email address who asked for the morning digest."""
    return list(
        User.objects.filter(is_active=True, agenda_preference__digest_email=True)
        .exclude(email="")
        .order_by("pk")
    )


def send_digests(now: dt.datetime) -> int:
    """Queue today's digest for every user who opted in; returns how many were queued."""
    users = digest_recipients()
    if not users:
        return 0
    today = business_today(now)
    page = agenda(user=None, date=today, limit=DIGEST_ENTRIES)
    if not page.entries:
        return 0
    business = business_get()
    context = {
        "business": business,
        "page": page,
        "more": page.next_cursor is not None,
        "today_url": settings.SITE_URL + reverse("occasions:today"),
        "site_url": settings.SITE_URL,
    }
    subject = _("%(business)s — today's occasions, %(date)s") % {
        "business": " ".join(business.name.split()),
        "date": today.isoformat(),
    }
    return internal_mail_enqueue(
        users=users,
        subject=subject,
        template="outreach/email/digest",
        context=context,
        key=lambda user: f"digest:{user.pk}:{today.isoformat()}",
    )


def run(now: dt.datetime) -> None:
    send_digests(now)


JOB = register(
    Job(
        name="occasions.morning_digest",
        description=str(gettext_lazy("Email today's agenda to everyone who asked for it.")),
        run=run,
        next_after=daily_at(lambda: occasion_settings().digest_time, business_zone),
    )
)
