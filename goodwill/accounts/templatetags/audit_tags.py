"""``{% audit_shown action target_type changes as shown %}``: an audit entry in words; the
``when`` and ``choice`` filters: exported dates and keys as the pages show them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit_display import Shown, audit_shown, choice_label

register = template.Library()


@register.simple_tag(name="audit_shown")
def audit_shown_tag(
    action: str, target_type: str, changes: Mapping[str, Any] | None, imported_from: str = ""
) -> Shown:
    """What ``goodwill.accounts.audit_display.audit_shown`` says; ``imported_from``: the file a
    person imported in bulk came from (their source detail), named in the title."""
    shown = audit_shown(action, target_type, changes)
    if action == "person.bulk_create" and imported_from:
        return Shown(title=_("Imported from %s") % imported_from, lines=shown.lines)
    return shown


@register.filter
def when(value: Any) -> Any:
    """An ISO date or timestamp (as an export writes it) the way the pages show dates: in the
    business's time zone and the site's short format; anything else as it is."""
    if not isinstance(value, str) or not value:
        return value
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) == 10:  # a date only
        return formats.date_format(parsed.date(), "SHORT_DATE_FORMAT")
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return formats.date_format(parsed, "SHORT_DATETIME_FORMAT")


@register.filter
def choice(value: Any, field: str) -> str:
    """``{{ o.kind|choice:"occasions.occasion.kind" }}``: a stored key by its label."""
    model_label, _dot, name = field.rpartition(".")
    return choice_label(model_label, name, value)
