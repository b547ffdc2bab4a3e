"""The survey scores page: NPS and satisfaction by month, by staff member and by what was
bought, as bar charts with their figures in tables (managers and owners)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Invalid
from goodwill.feedback.selectors.scores import feedback_scores, survey_comments_latest

PERIODS = [3, 6, 12, 24]


def _months(raw: str | None) -> int:
    """``?months=`` as a number (12 when left out); the selector checks its range."""
    if not raw:
        return 12
    if not raw.isdigit():
        raise Invalid.field("months", _("Give a number of months."))
    return int(raw)


@login_required
def scores(request: AuthedRequest) -> HttpResponse:
    """NPS and satisfaction of the last months and the newest survey comments (managers)."""
    found = feedback_scores(user=request.user, months=_months(request.GET.get("months")))
    context = {
        "scores": found,
        "comments": survey_comments_latest(user=request.user),
        "periods": PERIODS,
        "tables": [
            ("by-month", _("By month"), _("Month"), found.by_month),
            ("by-staff", _("By who served them"), _("Staff member"), found.by_staff),
            ("by-category", _("By what they bought"), _("Category"), found.by_category),
        ],
    }
    return render(request, "feedback/feedback_scores.html", context)
