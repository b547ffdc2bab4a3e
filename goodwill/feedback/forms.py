"""HTML input for feedback: the "heard at the counter" form, the inbox filters and the "acted
on" note (parsing only; the services check the values)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from goodwill.feedback.models import MAX_TEXT, Feedback, FollowUp

ANY = [("", _("Any"))]
SENTIMENTS = [
    (Feedback.Sentiment.POSITIVE, _("Positive")),
    (Feedback.Sentiment.NEGATIVE, _("Negative")),
    (Feedback.Sentiment.NEUTRAL, _("Neutral")),
]


class HeardForm(forms.Form):
    """What a customer said, what it is about and whether it was good or bad: a phone in ten
    seconds. ``person`` is the id of who said it, empty for someone we do not know."""

    text = forms.CharField(
        label=_("What did they say?"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "maxlength": MAX_TEXT,
                "placeholder": _("e.g. Your produce prices are the best in town"),
            }
        ),
    )
    category = forms.ChoiceField(
        label=_("About"), choices=Feedback.Category.choices, widget=forms.RadioSelect
    )
    sentiment = forms.ChoiceField(
        label=_("Was it good or bad?"), choices=SENTIMENTS, widget=forms.RadioSelect
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].error_messages["required"] = _("Choose what it was about.")
        self.fields["sentiment"].error_messages["required"] = _(
            "Choose positive, negative or neutral."
        )


class InboxFilterForm(forms.Form):
    """The inbox's filters; each is optional."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("About"), required=False)
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "status": Feedback.Status.choices,
            "category": Feedback.Category.choices,
            "sentiment": Feedback.Sentiment.choices,
            "source": Feedback.Source.choices,
        }
        for name, options in choices.items():
            self.fields[name].choices = ANY + list(options)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str | None]:
        """The chosen filters as selector arguments (None: any)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) or None for name in self.fields}


class ActForm(forms.Form):
    """What the manager did about a piece of feedback."""

    action = forms.CharField(
        label=_("What did you do?"),
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": MAX_TEXT, "placeholder": _("e.g. Told the team at the huddle")}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AskedForm(forms.Form):
    """“I asked them”: how, and what they answered (optional)."""

    method = forms.ChoiceField(
        label=_("How"),
        choices=[
            (FollowUp.Method.IN_PERSON.value, FollowUp.Method.IN_PERSON.label),
            (FollowUp.Method.PHONE.value, FollowUp.Method.PHONE.label),
        ],
        widget=forms.RadioSelect,
        initial=FollowUp.Method.IN_PERSON.value,
    )
    answer = forms.CharField(
        label=_("What did they say?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    category = forms.ChoiceField(
        label=_("About"), choices=Feedback.Category.choices, initial=Feedback.Category.OTHER
    )
    sentiment = forms.ChoiceField(
        label=_("Positive or negative?"),
        choices=Feedback.Sentiment.choices,
        initial=Feedback.Sentiment.NEUTRAL,
    )


class RatesForm(forms.Form):
    """How many weeks the follow-up rate covers."""

    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52, required=False)
