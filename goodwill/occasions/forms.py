"""HTML input for occasions, the Today page and the yearly memory (parsing only).

Field names match the services' keyword arguments, so an ``Invalid`` naming a field lands on it.
The calendar rules (February 30, month 13, lead time 0–365, an anniversary on a relationship that
is not a couple) are the services' to check; the forms only turn text into numbers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from goodwill.occasions.dates import MIN_YEAR, next_occurrence
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.people.models import FactSource

MONTHS = [("", _("Month")), *((n, calendar.month_name[n]) for n in range(1, 13))]
OWNER_KINDS = {
    "person": [Occasion.Kind.BIRTHDAY, Occasion.Kind.ANNIVERSARY, Occasion.Kind.CUSTOM],
    "relationship": [Occasion.Kind.WEDDING, Occasion.Kind.ANNIVERSARY, Occasion.Kind.CUSTOM],
    "household": [Occasion.Kind.ANNIVERSARY, Occasion.Kind.CUSTOM],
}
MAX_YEAR = 9999
UPDATE_FIELDS = ("month", "day", "year", "label", "lead_days", "source", "note")


class OccasionForm(forms.Form):
    """Add or edit an occasion: month and day, the year when known, and how we know.

    ``owner`` ("person", "relationship", "household") decides which kinds are offered; ``kind``
    is fixed once the occasion exists (``editing``).
    """

    kind = forms.ChoiceField(label=_("Occasion"))
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        required=False,
        help_text=_("What it is, for an anniversary or a custom date (“first stay”)."),
    )
    month = forms.IntegerField(label=_("Month"), widget=forms.Select(choices=MONTHS))
    day = forms.IntegerField(
        label=_("Day"), widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 3})
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 5}),
        help_text=_("Optional: with a year we can show the age or the number of years."),
    )
    lead_days = forms.IntegerField(
        label=_("Remind me (days before)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
        help_text=_("0 to 365. Empty: the default for this kind, from the settings."),
    )
    source = forms.ChoiceField(
        label=_("How do we know?"), choices=FactSource.choices, initial=FactSource.TOLD_US
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, owner: str = "person", editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        kinds = OWNER_KINDS[owner]
        field = self.fields["kind"]
        field.choices = [(k.value, capfirst(k.label)) for k in kinds]  # type: ignore[attr-defined]
        field.initial = kinds[0].value
        if editing:
            del self.fields["kind"]

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as the services' keyword arguments."""
        return dict(self.cleaned_data)


class AgendaForm(forms.Form):
    """The Today page's query: another day (``?date=YYYY-MM-DD``) and the next page."""

    date = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"type": "date", "aria-label": _("Show the agenda of")}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": _("Give the day as YYYY-MM-DD, for example 2026-04-12.")},
    )
    cursor = forms.CharField(required=False, max_length=500)


class YearForm(forms.Form):
    """Which year an action is about (the year the occasion is celebrated in)."""

    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    next = forms.CharField(required=False, max_length=500)


class CallForm(YearForm):
    """ "Log a call" from the agenda: one click, the summary is optional."""

    summary = forms.CharField(label=_("Summary"), max_length=200, required=False)


class TouchForm(forms.Form):
    """What we did for an occasion this year: a greeting, an offer, a call, a gift…"""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    kind = forms.ChoiceField(
        label=_("What we did"),
        choices=[(kind.value, capfirst(kind.label)) for kind in OccasionTouch.Kind],
        initial=OccasionTouch.Kind.CALL,
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 10% off a weekend stay")}),
    )
    channel = forms.CharField(
        label=_("Channel"),
        max_length=40,
        required=False,
        help_text=_("Email, phone, in person, card…"),
    )
    mark_done = forms.BooleanField(
        label=_("Mark as congratulated this year"), required=False, initial=True
    )

    @classmethod
    def for_year(cls, year: int) -> TouchForm:
        """An empty form for ``year``."""
        return cls(initial={"year": year})


class OfferOutcomeForm(forms.Form):
    """Whether an offer we made was used."""

    used = forms.TypedChoiceField(
        choices=[("1", _("used")), ("0", _("not used"))], coerce=lambda v: v == "1"
    )


def default_year(occasion: Occasion, today: dt.date) -> int:
    """The year an action on ``occasion`` most likely means: the year of its celebration that
    is up to 30 days past or still to come."""
    return next_occurrence(occasion.month, occasion.day, today - dt.timedelta(days=30)).year


def requested_year(raw: str | None, occasion: Occasion, today: dt.date) -> int:
    """``?year=`` when it is a plausible year, else :func:`default_year`."""
    raw = (raw or "").strip()
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return default_year(occasion, today)
