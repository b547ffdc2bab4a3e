"""A merge's fields: the person's fields, their one-per-person occasions and the wedding date
of a tie both have, and whose value of each the survivor keeps."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.exchange.services.merge.occasions import UNIQUE_OCCASIONS
from goodwill.exchange.services.merge.ties import WEDDING
from goodwill.people.models import Person
from goodwill.people.services.person_input import SCALAR_FIELDS

PERSON_FIELDS = [*SCALAR_FIELDS, "source"]
# The person's fields, their one-per-person occasions (``birthday``), and the wedding date of a
# tie both have: whose to keep.
MERGE_FIELDS = [*PERSON_FIELDS, *UNIQUE_OCCASIONS, WEDDING]
CHOICES = ("survivor", "other")
NOTES_BOTH = "both"  # notes only: the survivor's, then the other's


def merge_clean_fields(fields: dict[str, str] | None) -> dict[str, str]:
    """Every mergeable field with its side ("survivor", "other", or "both" for notes)."""
    chosen = dict.fromkeys(MERGE_FIELDS, "survivor")
    for name, side in (fields or {}).items():
        if name not in MERGE_FIELDS:
            raise Invalid.field("fields", _("Unknown field %(name)s.") % {"name": name})
        if side not in CHOICES and not (name == "notes" and side == NOTES_BOTH):
            message = _("Choose survivor or other for %(name)s.") % {"name": name}
            raise Invalid.field("fields", message)
        chosen[name] = side
    return chosen


def merged_values(survivor: Person, other: Person, chosen: dict[str, str]) -> dict[str, str]:
    """The survivor's field values after the merge; empty survivor fields come from ``other``."""
    values: dict[str, str] = {}
    for name in PERSON_FIELDS:
        side = chosen[name]
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if side == NOTES_BOTH:
            values[name] = "\n\n".join(t for t in (mine, theirs) if t)
        elif side == "other" or not mine:
            values[name] = theirs
        else:
            values[name] = mine
    return values
