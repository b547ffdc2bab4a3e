"""Audit entries in words, for the pages people read (a person's history, their data page).

Works from an entry's plain values: the action, the target's model label and the changes. Field
names and choice labels come from the target's model, found in Django's app registry (filled by
the apps above accounts), so accounts imports none of them. Ids and other internal values are
left out; nothing is shown as a Python value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Actions whose words say more than "<model> <verb>" would; ``{...}`` names a change's new value.
ACTIONS: dict[str, Any] = {
    "person.create": gettext_lazy("Person added"),
    "person.update": gettext_lazy("Details changed"),
    "person.bulk_create": gettext_lazy("Imported"),
    "person.import": gettext_lazy("Imported from {via}"),
    "person.merge": gettext_lazy("Merged with {merged_name}"),
    "person.access_export": gettext_lazy("All their data looked up"),
    "person.export": gettext_lazy("Exported"),
    "person.link_user": gettext_lazy("Login linked"),
    "import.chunk": gettext_lazy("Imported"),
    "import.queue": gettext_lazy("Import started"),
    "import.cancel": gettext_lazy("Import cancelled"),
    "occasion.done": gettext_lazy("Occasion marked done"),
    "household.add_member": gettext_lazy("Moved into the household"),
    "household.remove_member": gettext_lazy("Left the household"),
    "person_interest.add": gettext_lazy("Interest added"),
    "person_interest.remove": gettext_lazy("Interest removed"),
    "person_interest.bulk_note": gettext_lazy("Interest noted"),
    "person_tag.add": gettext_lazy("Tag added"),
    "person_tag.bulk_add": gettext_lazy("Tag added"),
    "person_tag.remove": gettext_lazy("Tag removed"),
    "interaction.log": gettext_lazy("Interaction logged"),
    "interaction.bulk_log": gettext_lazy("Interaction logged"),
    "touch.log": gettext_lazy("Contact logged"),
    "consent.record": gettext_lazy("Consent recorded"),
    "purchase.log": gettext_lazy("Purchase logged"),
    "followup.asked": gettext_lazy("Asked how it was"),
}
VIA = gettext_lazy("Updated from {via}")  # an import's or a merge's update names its source
VERBS: dict[str, Any] = {
    "create": gettext_lazy("added"),
    "bulk_create": gettext_lazy("added"),
    "add": gettext_lazy("added"),
    "bulk_add": gettext_lazy("added"),
    "set": gettext_lazy("set"),
    "update": gettext_lazy("changed"),
    "bulk_update": gettext_lazy("changed"),
    "rename": gettext_lazy("renamed"),
    "delete": gettext_lazy("deleted"),
    "remove": gettext_lazy("removed"),
    "archive": gettext_lazy("archived"),
    "restore": gettext_lazy("restored"),
    "merge": gettext_lazy("merged"),
    "log": gettext_lazy("logged"),
    "import": gettext_lazy("imported"),
    "erase": gettext_lazy("erased"),
}
# Change keys that are not model fields.
KEYS: dict[str, Any] = {
    "moved": gettext_lazy("Moved"),
    "via": gettext_lazy("From"),
    "file": gettext_lazy("File"),
    "people": gettext_lazy("People"),
    "organisation": gettext_lazy("Organisation"),
    "organisations": gettext_lazy("Organisations"),
    "occasions": gettext_lazy("Occasions"),
    "created": gettext_lazy("Added"),
    "updated": gettext_lazy("Updated"),
    "dry_run": gettext_lazy("Trial run"),
}
# What a merge counts under another name than its key's words.
COUNTED: dict[str, Any] = {"audit_entries": gettext_lazy("history entries")}
# Internal values: ids of rows (some of them someone else's) and bookkeeping.
HIDDEN = frozenset(
    {"ids", "id", "batch", "merged_id", "merged_name", "updated_people", "user", "login"}
)


@dataclass(frozen=True)
class Shown:
    """One audit entry as words: what happened, and one line per change worth reading."""

    title: str
    lines: list[str] = field(default_factory=list)


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _words(key: str) -> str:
    return capfirst(key.replace("_", " ").replace(".", " ")) or ""


def _template(action: str, changes: Mapping[str, Any]) -> Any:
    if "via" in changes and action.endswith(".update"):
        return VIA
    return ACTIONS.get(action)


def _title(action: str, model: type[models.Model] | None, changes: Mapping[str, Any]) -> str:
    if (known := _template(action, changes)) is not None:
        news = {k: _new(v) for k, v in changes.items()}
        try:
            return str(known).format(**{k: v for k, v in news.items() if v is not None})
        except (KeyError, IndexError):
            return str(known).split(" {")[0]
    noun, _dot, verb = action.partition(".")
    thing = str(model._meta.verbose_name) if model is not None else noun.replace("_", " ")
    if verb in VERBS:
        return f"{capfirst(thing)} {VERBS[verb]}"
    return _words(action)


def _new(change: Any) -> Any:
    """The value a change is about: ``[before, after]``'s after (or its before, for what is
    gone: a merged person's name), or a bare value."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[1] if change[1] is not None else change[0]
    return change


def _count(key: str, n: int) -> str:
    singular = str(COUNTED.get(key, key.replace("_", " ")))
    if n == 1 and singular.endswith("s") and not singular.endswith("ss"):
        singular = singular[:-1]
    return ngettext("%(n)d %(what)s", "%(n)d %(what)s", n) % {"n": n, "what": singular}


def _is_id(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _value(value: Any, fld: models.Field[Any, Any] | None) -> str | None:
    """``value`` in words; None when there is nothing a reader could use (ids, nested rows)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if fld is not None and fld.is_relation and _is_id(value):
        return None
    if isinstance(value, Mapping):
        parts = [_count(k, v) for k, v in value.items() if isinstance(v, int) and v]
        return ", ".join(parts) if parts else None
    if isinstance(value, list | tuple):
        shown = [_value(v, fld) for v in value if not isinstance(v, Mapping | list | tuple)]
        return ", ".join(s for s in shown if s) or None
    if fld is not None and fld.flatchoices:
        return str(dict(fld.flatchoices).get(value, value))
    return str(value)


def _line(key: str, change: Any, model: type[models.Model] | None) -> str | None:
    fld = _field(model, key)
    label = capfirst(str(fld.verbose_name)) if fld is not None else str(KEYS.get(key, _words(key)))
    if isinstance(change, list) and len(change) == 2:
        if fld is not None and fld.is_relation and all(_is_id(v) for v in change):
            return _("%s changed") % label if change[0] is not None else None  # not to what
        before, after = _value(change[0], fld), _value(change[1], fld)
        if before is None or after is None or before == after:
            return None
        if before == "—":
            return f"{label}: {after}"
        return f"{label}: {before} → {after}"
    shown = _value(change, fld)
    return f"{label}: {shown}" if shown is not None else None


def audit_shown(action: str, target_type: str, changes: Mapping[str, Any] | None) -> Shown:
    """The words for one audit entry (its ``action``, ``target_type`` and ``changes``)."""
    model = _model(target_type)
    changes = changes if isinstance(changes, Mapping) else {}
    named = set(re.findall(r"{(\w+)}", str(_template(action, changes) or "")))
    hidden = HIDDEN | named
    lines = [_line(k, v, model) for k, v in changes.items() if k not in hidden and k[-3:] != "_id"]
    if ".bulk_" in action or action == "import.chunk":
        lines = []  # about a whole batch of rows (counts, others' ids), not about this person
    return Shown(title=_title(action, model, changes), lines=[s for s in lines if s])


def choice_label(model_label: str, name: str, value: Any) -> str:
    """``value`` of the field ``name`` of the model ``model_label`` by its choice's label (the
    key itself when the field has no such choice)."""
    fld = _field(_model(model_label), name)
    if fld is not None and fld.flatchoices:
        return str(dict(fld.flatchoices).get(value, value))
    return str(value)
