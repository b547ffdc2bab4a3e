"""The feedback inbox as a CSV file (managers and owners): what customers said, as text, with
every cell a spreadsheet would run as a formula neutralised, streamed page by page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils import timezone

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.exchange.export.csv import neutralise
from goodwill.exchange.export.selectors import iso
from goodwill.feedback.models import Feedback
from goodwill.feedback.selectors.feedback import feedback_inbox

HEADER = [
    "Heard at",
    "Source",
    "About",
    "Sentiment",
    "Score",
    "Thumbs up",
    "What they said",
    "Person ID",
    "Person",
    "Heard by",
    "Status",
    "What was done",
]
PAGE = 200


def _row(item: Feedback) -> list[str]:
    thumbs = "" if item.thumbs_up is None else ("yes" if item.thumbs_up else "no")
    cells = [
        iso(item.heard_at) or "",
        item.source,
        item.category,
        item.sentiment,
        "" if item.score is None else str(item.score),
        thumbs,
        item.text,
        str(item.person_id or ""),
        item.person.full_name if item.person else "",
        item.heard_by.email if item.heard_by else "",
        item.status,
        item.action,
    ]
    return [neutralise(cell) for cell in cells]


def _stream(actor: User | None, filters: dict[str, str | None], bom: bool) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    yield ("\ufeff" if bom else "") + out.getvalue()
    cursor = None
    while True:
        page = feedback_inbox(user=actor, cursor=cursor, limit=PAGE, **filters)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerows(_row(item) for item in page.items)
        yield out.getvalue()
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def feedback_export(
    *, actor: User | None, filters: dict[str, str | None], bom: bool = False
) -> tuple[str, Iterator[str]]:
    """The file name and the pieces of the inbox as CSV, newest first, with the inbox's filters
    (status, category, sentiment, source); managers and owners only, checked before anything
    is read (the first page is read at once), and audited."""
    # The inbox's own checks (role, filter values) run now, before the file starts streaming.
    feedback_inbox(user=actor, limit=1, **filters)
    audit_record(
        actor=actor,
        action="feedback.export",
        target=Feedback(),
        changes={"filters": {k: v for k, v in filters.items() if v}},
    )
    return f"feedback-{timezone.localdate().isoformat()}.csv", _stream(actor, filters, bom)
