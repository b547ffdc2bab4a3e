"""HTML input for the timeline: the quick log and the correction form (parsing only)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_list_active
from goodwill.timeline.models import Interaction

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class _InteractionFields(forms.Form):
    """What the quick log and the correction form share."""

    kind = forms.ChoiceField(
        label=_("What"), choices=Interaction.Kind.choices, initial=Interaction.Kind.VISIT
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. Loved the blueberry pancakes"), "enterkeyhint": "send"}
        ),
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
        help_text=_("Leave empty for now."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=Interaction.Direction.choices,
        initial=Interaction.Direction.IN_PERSON,
    )
    intent = forms.ChoiceField(
        label=_("Intent"),
        required=False,
        choices=Interaction.Intent.choices,
        initial=Interaction.Intent.NEUTRAL,
        help_text=_("For touches we make: are we giving, or asking?"),
    )
    channel = forms.CharField(label=_("Channel"), max_length=40, required=False)
    body = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, tz: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = zoneinfo.ZoneInfo(tz)

    def clean_direction(self) -> str:
        return self.cleaned_data.get("direction") or Interaction.Direction.IN_PERSON

    def clean_intent(self) -> str:
        return self.cleaned_data.get("intent") or Interaction.Intent.NEUTRAL

    def clean_occurred_at(self) -> dt.datetime | None:
        """Read the wall-clock time in the business's time zone."""
        value: dt.datetime | None = self.cleaned_data.get("occurred_at")
        if value is None:
            return None
        return timezone.make_aware(value.replace(tzinfo=None), self.tz)


class QuickLogForm(_InteractionFields):
    """Kind and summary first (a phone in under ten seconds); the rest is optional.

    ``staff`` is who dealt with the person: any active login, by default the one logging. The
    logins are read once, for the choices and for turning the chosen id back into a user.
    """

    staff = forms.TypedChoiceField(label=_("Staff member"), coerce=int, required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_users = {u.pk: u for u in user_list_active(actor=user)}
        field = self.fields["staff"]
        field.choices = [(pk, str(u)) for pk, u in self.staff_users.items()]  # type: ignore[attr-defined]
        if user is not None:
            field.initial = user.pk

    def clean_staff(self) -> User | None:
        pk = self.cleaned_data.get("staff")
        return self.staff_users.get(pk) if pk else None


class InteractionForm(_InteractionFields):
    """Correct a logged interaction; its time is required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].required = True
        self.fields["occurred_at"].help_text = ""


def initial_for(interaction: Interaction, tz: str) -> dict[str, Any]:
    """Form values of a stored interaction, its time shown in the business's zone."""
    local = timezone.localtime(interaction.occurred_at, zoneinfo.ZoneInfo(tz))
    return {
        "kind": interaction.kind,
        "summary": interaction.summary,
        "occurred_at": local.replace(tzinfo=None).strftime(LOCAL_FORMAT),
        "direction": interaction.direction,
        "intent": interaction.intent,
        "channel": interaction.channel,
        "body": interaction.body,
    }
