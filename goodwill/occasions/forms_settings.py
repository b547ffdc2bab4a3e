"""HTML input of the occasion settings page (parsing only); field names match the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from goodwill.occasions.models import OccasionSettings


def _lead(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=365, help_text=_("Days before, from 0 to 365.")
    )


class OccasionSettingsForm(forms.Form):
    """The business's occasion rules (owners)."""

    feb29_rule = forms.ChoiceField(
        label=_("February 29 in other years is celebrated on"),
        choices=OccasionSettings.Feb29.choices,
    )
    lead_birthday = _lead(_("Birthday reminder lead time"))
    lead_wedding = _lead(_("Wedding anniversary reminder lead time"))
    lead_anniversary = _lead(_("Anniversary reminder lead time"))
    lead_custom = _lead(_("Custom date reminder lead time"))
    digest_time = forms.TimeField(
        label=_("Morning digest at"),
        help_text=_("Business local time, such as 07:30."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class AgendaPreferenceForm(forms.Form):
    """A user's own morning digest opt-in."""

    digest_email = forms.BooleanField(label=_("Email me my agenda every morning"), required=False)
