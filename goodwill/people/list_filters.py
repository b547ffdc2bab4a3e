"""Filters of the people list offered by name: people's own tags, and those apps above people add
(commerce: the journey stage).

The people app cannot import the apps built on it. They register a filter here when Django
loads them (``AppConfig.ready``); the list page, the API and the export then offer and apply
every registered filter by its query parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.people.models import StrOrPromise


@dataclass(frozen=True)
class ListFilter:
    """A choice filter: ``condition(value)`` is a condition on ``Person`` for a chosen value.

    A ``free_text`` filter (a tag's name in any spelling) takes any value: its ``choices`` are
    only suggestions, read when the list page shows them, never to check a value."""

    name: str
    label: StrOrPromise
    any_label: StrOrPromise
    choices: Callable[[], Sequence[tuple[str, StrOrPromise]]]
    condition: Callable[[str], Q]
    free_text: bool = False


_filters: dict[str, ListFilter] = {}


def register(list_filter: ListFilter) -> None:
    """Offer ``list_filter`` on the people list (one of the same name is replaced)."""
    _filters[list_filter.name] = list_filter


def registered() -> list[ListFilter]:
    """Every registered filter, in the order they were registered."""
    return list(_filters.values())


def conditions(values: Mapping[str, str]) -> list[Q]:
    """The conditions for the registered filters given in ``values`` (empty ones are skipped);
    an unknown choice is Invalid on that filter's name (a free-text filter's is not checked)."""
    out = []
    for name, list_filter in _filters.items():
        value = (values.get(name) or "").strip()
        if not value:
            continue
        if list_filter.free_text:
            out.append(list_filter.condition(value))
            continue
        allowed = [choice for choice, _label in list_filter.choices()]
        if value not in allowed:
            raise Invalid.field(
                name,
                _("Unknown %(name)s “%(value)s”; one of %(choices)s.")
                % {"name": name, "value": value[:40], "choices": ", ".join(allowed)},
            )
        out.append(list_filter.condition(value))
    return out
