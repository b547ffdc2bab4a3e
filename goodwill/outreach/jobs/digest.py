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
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.schedule.registry import Job, daily_at, register
from goodwill.outreach.services.internal import InternalMail, internal_mail_enqueue

DIGEST_ENTRIES = 100
KEY_PREFIX = "digest"


def digest_recipients() -> list[User]:
    """Active users with an email address who asked for the morning digest."""
    return list(
        User.objects.filter(is_active=True, agenda_preference__digest_email=True)
        .exclude(email="")
        .order_by("pk")
    )


def digest_key(user: User, day: dt.date) -> str:
    """The idempotency key of ``user``'s digest of ``day``: one message per user and day."""
    return f"{KEY_PREFIX}:{user.pk}:{day.isoformat()}"


def digest_mail(day: dt.date) -> InternalMail | None:
    """The digest of ``day``'s agenda as it reads now, naming everyone its entries are for;
    None when nothing is on it."""
    page = agenda(user=None, date=day, limit=DIGEST_ENTRIES)
    if not page.entries:
        return None
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
        "date": day.isoformat(),
    }
    return InternalMail(
        subject=subject,
        template="outreach/email/digest",
        context=context,
        mentions=frozenset(p.pk for entry in page.entries for p in entry.people),
    )


def digest_rerender(message: OutboxMessage) -> InternalMail | None:
    """The digest ``message`` holds, rendered again from the agenda of its day as it is now."""
    return digest_mail(dt.date.fromisoformat(message.idempotency_key.rsplit(":", 1)[1]))


def send_digests(now: dt.datetime) -> int:
    """Queue today's digest for every user who opted in; returns how many were queued."""
    users = digest_recipients()
    if not users:
        return 0
    today = business_today(now)
    mail = digest_mail(today)
    if mail is None:
        return 0
    return internal_mail_enqueue(
        users=users,
        mail=mail,
        key=lambda user: digest_key(user, today),
        rebuild=lambda: digest_mail(today),
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
