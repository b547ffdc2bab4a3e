"""``goodwill agenda [--date YYYY-MM-DD] [--days N] [--json] [--as EMAIL]``: the occasions of a day,
soonest first, one line each."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email
from goodwill.core.errors import Invalid
from goodwill.core.management.base import GoodwillCommand
from goodwill.occasions.selectors.agenda import AgendaEntry, agenda
from goodwill.occasions.selectors.settings import business_today

PAGE = 200


def _date(value: str | None) -> dt.date:
    if not value:
        return business_today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid.field("--date", _("Give the date as YYYY-MM-DD.")) from exc


def entry_row(entry: AgendaEntry) -> dict[str, object]:
    last = entry.last_year
    return {
        "occasion_id": entry.occasion.pk,
        "kind": entry.occasion.kind,
        "title": entry.occasion.title,
        "date": entry.date.isoformat(),
        "days_until": entry.days_until,
        "turning": entry.turning,
        "turning_label": entry.turning_label,
        "people": [
            {"id": p.pk, "name": p.full_name, "call_name": p.call_name} for p in entry.people
        ],
        "call_names": entry.call_names,
        "done": entry.done,
        "last_year": None
        if last is None
        else {
            "year": last.year,
            "done": last.done_at is not None,
            "touches": [
                {"kind": t.kind, "summary": t.summary, "offer_used": t.offer_used}
                for t in last.touches.all()
            ],
        },
    }


def entry_line(entry: AgendaEntry) -> str:
    """``2026-11-25  in 2 days  Birthday — Anne Whitman (turns 40)  [done]``"""
    if entry.days_until == 0:
        when = _("today")
    else:
        when = ngettext("in %(n)d day", "in %(n)d days", entry.days_until) % {"n": entry.days_until}
    names = ", ".join(p.full_name for p in entry.people) or entry.occasion.title
    line = f"{entry.date.isoformat()}  {when}  {entry.occasion.title} — {names}"
    if entry.turning_label:
        line += f" ({entry.turning_label})"
    if entry.done:
        line += f"  [{_('done')}]"
    return line


class Command(GoodwillCommand):
    help = "Show the agenda of a day: occasions within their lead time, soonest first."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: the business's today).")
        parser.add_argument("--days", help="Also every occasion within this many days (0-365).")
        parser.add_argument("--as", dest="as_email", help="Read as this user (their role applies).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def _days(self, value: str | None) -> int | None:
        if value is None:
            return None
        try:
            days = int(value)
        except ValueError:
            days = -1
        if not 0 <= days <= 365:
            raise Invalid.field("--days", _("Give a number of days from 0 to 365."))
        return days

    def handle(self, *args: Any, **options: Any) -> None:
        date, days = _date(options["date"]), self._days(options["days"])
        user: User | None = None
        if options["as_email"]:
            user = user_get_by_email(actor=None, email=options["as_email"])
        entries: list[AgendaEntry] = []
        cursor = None
        while True:
            page = agenda(user=user, date=date, days=days, cursor=cursor, limit=PAGE)
            entries += page.entries
            cursor = page.next_cursor
            if cursor is None:
                break
        if options["json"]:
            self.write_json({"date": date.isoformat(), "entries": [entry_row(e) for e in entries]})
            return
        if not entries:
            self.stdout.write(_("Nothing on the agenda of %(date)s.") % {"date": date.isoformat()})
        for entry in entries:
            self.stdout.write(entry_line(entry))
