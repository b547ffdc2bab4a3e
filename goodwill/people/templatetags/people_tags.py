"""Template filters for people pages."""

from __future__ import annotations

from django import template

from goodwill.people.normalize import format_phone

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """A stored E.164 number in its readable international form (+1 902-555-0101)."""
    return format_phone(e164) if e164 else ""
