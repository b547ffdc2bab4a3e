"""Sections that apps above occasions add to the agenda page (outreach: "Stay in touch").

The occasions app cannot import the apps built on it. They register a section here when Django
loads them (``AppConfig.ready``); the Today page renders every registered section, in order,
below the day's occasions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.safestring import SafeString

from goodwill.accounts.models import User

# (user, the day shown, whether it is today) → the section's HTML, or "" to show nothing.
Section = Callable[[User, dt.date, bool], SafeString | str]

_sections: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    """Show ``section`` on the agenda (one of the same name is replaced)."""
    _sections[name] = section


def rendered(user: User, day: dt.date, is_today: bool) -> list[SafeString | str]:
    """Every registered section's HTML for this user and day, empty ones left out."""
    out = []
    for section in _sections.values():
        html = section(user, day, is_today)
        if html:
            out.append(html)
    return out
