"""The agenda's "Stay in touch" section: on today's agenda, the people given nothing for longest
(the minimum side of the touch budget), with a link to the whole list."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from goodwill.accounts.models import User
from goodwill.occasions import agenda_sections
from goodwill.outreach.selectors.balance import stay_in_touch_page

SHOWN = 5


def stay_in_touch_section(user: User, day: dt.date, is_today: bool) -> SafeString | str:
    """The first people waiting for a giving touch, on today's agenda only ("" on other days)."""
    if not is_today:
        return ""
    page = stay_in_touch_page(user=user, limit=SHOWN)
    return render_to_string(
        "outreach/_agenda_stay_in_touch.html", {"waiting": page, "shown": SHOWN}
    )


def register() -> None:
    """Add the section to the agenda (called when the app loads)."""
    agenda_sections.register("outreach.stay_in_touch", stay_in_touch_section)
