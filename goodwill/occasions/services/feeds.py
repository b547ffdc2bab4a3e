"""Each user's secret calendar feed URL: created, regenerated (the old URL stops working) and
revoked by the user themself. Only the SHA-256 of the token is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.core.errors import Conflict, Forbidden, NotFound
from goodwill.occasions.models import CalendarFeed

PREFIX_CHARS = 8


def feed_token_hash(raw: str) -> str:
    """The stored form of a feed token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_actor(actor: User | None, user: User) -> None:
    if actor is not None and not actor.is_active:
        raise Forbidden(_("Your account is deactivated."))
    if actor is not None and actor.pk != user.pk:
        raise Forbidden(_("Each user manages their own calendar feed."))
    if not user.is_active:
        raise Forbidden(_("This user is deactivated."))


def calendar_feed_create(*, actor: User | None, user: User) -> tuple[CalendarFeed, str]:
    """Give ``user`` a new secret feed token, replacing (and so disabling) any previous one.
    Returns the feed and the raw token, which is shown once and never stored."""
    _check_actor(actor, user)
    raw = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            replaced = CalendarFeed.objects.filter(user=user).delete()[0] > 0
            feed = CalendarFeed.objects.create(
                user=user, token_hash=feed_token_hash(raw), prefix=raw[:PREFIX_CHARS]
            )
            audit_record(
                actor=actor,
                action="calendar_feed.regenerate" if replaced else "calendar_feed.create",
                target=feed,
            )
    except IntegrityError as exc:  # two clicks at once: the other one won
        raise Conflict(_("The feed was just changed; reload the page.")) from exc
    return feed, raw


def calendar_feed_revoke(*, actor: User | None, user: User) -> None:
    """Delete ``user``'s feed token: its URL stops working at once."""
    if actor is not None and actor.pk != user.pk:
        raise Forbidden(_("Each user manages their own calendar feed."))
    if actor is not None and not actor.is_active:
        raise Forbidden(_("Your account is deactivated."))
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            raise NotFound(_("There is no calendar feed to revoke."))
        audit_record(actor=actor, action="calendar_feed.revoke", target=feed)
        feed.delete()
