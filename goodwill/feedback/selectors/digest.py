"""The weekly digest's reading of feedback: per category, how many and what was said."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from goodwill.feedback.models import Feedback

QUOTES = 3


@dataclass
class Quote:
    """One remark as said, with its sentiment and when it was heard."""

    text: str
    sentiment: str
    heard_at: dt.datetime


@dataclass
class CategorySummary:
    """How often a category came up in a period, for better and worse, with the latest quotes."""

    category: str
    label: str
    count: int
    positive: int
    negative: int
    quotes: list[Quote] = field(default_factory=list)


def feedback_digest_summary(*, since: dt.datetime, until: dt.datetime) -> list[CategorySummary]:
    """Feedback heard in [since, until) by category, most mentioned first (ties in category
    order), with up to 3 most recent non-empty quotes each."""
    window = Feedback.objects.filter(heard_at__gte=since, heard_at__lt=until)
    counts = {
        row["category"]: row
        for row in window.values("category").annotate(
            n=Count("id"),
            pos=Count("id", filter=Q(sentiment=Feedback.Sentiment.POSITIVE)),
            neg=Count("id", filter=Q(sentiment=Feedback.Sentiment.NEGATIVE)),
        )
    }
    order = list(Feedback.Category.values)
    labels = dict(Feedback.Category.choices)
    summaries = []
    for category in sorted(counts, key=lambda c: (-counts[c]["n"], order.index(c))):
        latest = (
            window.filter(category=category)
            .exclude(text="")
            .order_by("-heard_at", "-id")
            .values_list("text", "sentiment", "heard_at")[:QUOTES]
        )
        summaries.append(
            CategorySummary(
                category=category,
                label=str(labels[category]),
                count=counts[category]["n"],
                positive=counts[category]["pos"],
                negative=counts[category]["neg"],
                quotes=[Quote(text, sentiment, heard_at) for text, sentiment, heard_at in latest],
            )
        )
    return summaries
