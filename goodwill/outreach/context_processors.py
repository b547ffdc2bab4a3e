"""The owners' warning banner: scheduled work never fails silently."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from goodwill.outreach.selectors.health import overdue_job_names


def health_banner(request: HttpRequest) -> dict[str, list[str]]:
    """``overdue_jobs``: names of jobs overdue by more than an hour, for owners only (one small
    query on the schedule table; none for anyone else)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    if getattr(user, "role", None) != "owner":
        return {}
    return {"overdue_jobs": overdue_job_names(timezone.now(), user)}
