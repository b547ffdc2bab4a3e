"""HTML input for purchases and the journey rules (parsing only).

Field names match the services' keyword arguments, so an ``Invalid`` naming a field lands on it.
Amounts stay text: the service reads "12,50 €" and refuses a negative one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from goodwill.commerce.models import CommerceSettings, Purchase
from goodwill.occasions.models import Occasion

SETTINGS_FIELDS = (
    "regular_purchases",
    "followup_days_stay",
    "followup_days_in_store",
    "followup_days_online",
    "followup_days_phone",
    "followup_days_walk_in",
)


class PurchaseForm(forms.Form):
    """Log a purchase, stay, refund or inquiry from the person page."""

    kind = forms.ChoiceField(
        label=_("Type"), choices=Purchase.Kind.choices, initial=Purchase.Kind.PURCHASE
    )
    day = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today. For a stay, the check-in date is used."),
    )
    check_in = forms.DateField(
        label=_("Check-in"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    check_out = forms.DateField(
        label=_("Check-out"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.CharField(
        label=_("Amount"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "12,50 €"}),
    )
    description = forms.CharField(label=_("Item or service"), required=False, max_length=300)
    category = forms.CharField(
        label=_("Category"),
        required=False,
        max_length=100,
        help_text=_("Optional: “produce”, “room”, “wine”…"),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Purchase.Channel.choices)
    occasion = forms.TypedChoiceField(
        label=_("For the occasion"), required=False, coerce=int, empty_value=None
    )
    reference = forms.CharField(
        label=_("Receipt or booking number"), required=False, max_length=100
    )

    def __init__(self, *args: Any, occasions: list[Occasion] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.occasions = {o.pk: o for o in occasions or []}
        self.fields["occasion"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *((o.pk, str(o)) for o in self.occasions.values()),
        ]

    def service_kwargs(self, *, zone: dt.tzinfo) -> dict[str, Any]:
        """The service's keyword arguments (call after ``is_valid()``)."""
        data = self.cleaned_data
        day = data.get("day")
        when = dt.datetime.combine(day, dt.time(12, 0), tzinfo=zone) if day else None
        return {
            "kind": data["kind"],
            "occurred_at": when,
            "check_in": data.get("check_in"),
            "check_out": data.get("check_out"),
            "amount": data.get("amount") or None,
            "description": data.get("description") or "",
            "category": data.get("category") or "",
            "channel": data["channel"],
            "occasion": self.occasions.get(data["occasion"]) if data.get("occasion") else None,
            "reference": data.get("reference") or "",
        }


class CommerceSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The journey and follow-up rules."""

    class Meta:
        model = CommerceSettings
        fields = SETTINGS_FIELDS
