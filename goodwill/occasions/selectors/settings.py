"""The business's occasion settings and its local calendar date."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from goodwill.accounts.models import Business
from goodwill.accounts.services import business_get
from goodwill.occasions.models import OccasionSettings


def occasion_settings() -> OccasionSettings:
    """The occasion settings (one row), created with the defaults on first use."""
    row, _created = OccasionSettings.objects.get_or_create(pk=1)
    return row


def zone_of(business: Business | None) -> zoneinfo.ZoneInfo:
    """``business``'s time zone (UTC when its name is unknown to this machine), without a query
    when a page already holds the profile; the stored profile's when ``business`` is None."""
    if business is None:
        business = business_get()
    try:
        return zoneinfo.ZoneInfo(business.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def business_zone() -> zoneinfo.ZoneInfo:
    """The business's time zone (UTC when its name is unknown to this machine)."""
    return zone_of(business_get())


def business_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date where the business is (occasions are local calendar dates)."""
    return (now or timezone.now()).astimezone(business_zone()).date()
