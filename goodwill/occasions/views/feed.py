"""The calendar feed: GET /calendar/<token>.ics, no login, the secret token is the key."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from goodwill.occasions.models import CalendarFeed
from goodwill.occasions.selectors.feed import feed_ical
from goodwill.occasions.services.feeds import feed_token_hash

LAST_USED_EVERY = timedelta(hours=1)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The occasions calendar of a live feed token of an active user; 404 otherwise."""
    # Looked up by the token's SHA-256 (unique index): no timing leak on the raw token.
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token))
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    response = HttpResponse(feed_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="occasions.ics"'
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response
