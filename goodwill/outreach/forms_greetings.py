"""HTML input for a greeting: the edited subject and text, and the year it is for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from goodwill.occasions.dates import MIN_YEAR
from goodwill.occasions.forms import MAX_YEAR


class GreetingForm(forms.Form):
    """The prefilled greeting, as edited before sending."""

    year = forms.IntegerField(widget=forms.HiddenInput, min_value=MIN_YEAR, max_value=MAX_YEAR)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))
