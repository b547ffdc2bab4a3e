"""HTML input for offers (parsing only): every rule — a topic, who it is for, safe templates —
is the service's, so its message lands on the field it names; the form only splits lists and
reads dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from goodwill.occasions.models import Occasion
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.selectors.consent import topic_list


def split_list(text: str) -> list[str]:
    """“storm chasing, gluten-free” → ["storm chasing", "gluten-free"] (commas or new lines)."""
    return [p.strip() for p in (text or "").replace("\n", ",").split(",") if p.strip()]


class OfferForm(forms.Form):
    """Add or edit an offer: its topic, who it is for, the templates, dates and code prefix."""

    name = forms.CharField(label=_("Name"), required=False, max_length=150)
    topic = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)
    interests = forms.CharField(
        label=_("Interests it is for"),
        required=False,
        help_text=_("Separated by commas, as on people's pages: storm chasing, gluten-free."),
    )
    occasion_kinds = forms.MultipleChoiceField(
        label=_("Occasions it is for"),
        required=False,
        choices=[(k.value, capfirst(k.label)) for k in Occasion.Kind],
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.CharField(
        label=_("Purchase categories it is for"),
        required=False,
        help_text=_("Separated by commas: people who bought in these categories."),
    )
    subject_template = forms.CharField(label=_("Subject"), required=False, max_length=300)
    body_template = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Start with the person's name: “Dear {{ preferred_name }},”."),
    )
    intent = forms.ChoiceField(
        label=_("Does it give or ask?"),
        required=False,
        choices=Offer.Intent.choices,
        initial=Offer.Intent.GIVING,
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    code_prefix = forms.CharField(
        label=_("Code prefix"),
        required=False,
        max_length=12,
        help_text=_("Letters and digits; each person gets their own code (empty: no codes)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = [("", _("Choose a topic"))] + [(t.pk, t.name) for t in topic_list()]
        self.fields["topic"].choices = topics  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, offer: Offer) -> dict[str, Any]:
        """The form's starting values for editing ``offer``."""
        return {
            "name": offer.name,
            "topic": offer.topic_id,
            "interests": ", ".join(i.name for i in offer.interests.all()),
            "occasion_kinds": offer.occasion_kinds,
            "categories": ", ".join(offer.categories),
            "subject_template": offer.subject_template,
            "body_template": offer.body_template,
            "intent": offer.intent,
            "valid_from": offer.valid_from,
            "valid_until": offer.valid_until,
            "code_prefix": offer.code_prefix,
        }

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as the offer services' keyword arguments."""
        data = dict(self.cleaned_data)
        data["interests"] = split_list(data["interests"])
        data["categories"] = split_list(data["categories"])
        return data
