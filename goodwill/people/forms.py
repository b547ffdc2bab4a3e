"""HTML input for people, their facts, organisations and households (parsing only).

Field names match the services' keyword arguments, so an ``Invalid`` naming a field lands on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from goodwill.accounts.models import User
from goodwill.people import list_filters
from goodwill.people.models import FactSource, PersonInterest, PersonRole
from goodwill.people.normalize import TAG_MAX_LENGTH
from goodwill.people.selectors import tag_options
from goodwill.people.services import KIND_CHOICES


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").replace(",", "\n").splitlines() if line.strip()]


class SuggestInput(forms.TextInput):
    """A text box that suggests values (an HTML datalist) without insisting on them; the
    suggestions are read only when the box is shown."""

    def __init__(self, options: Callable[[], Sequence[tuple[str, Any]]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = options

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        list_id = f"{(attrs or {}).get('id') or name}-options"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">', ((v,) for v, _l in self.options()))
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


def _filter_field(list_filter: list_filters.ListFilter) -> forms.Field:
    if list_filter.free_text:
        return forms.CharField(
            label=str(list_filter.label),
            required=False,
            max_length=200,
            widget=SuggestInput(list_filter.choices, attrs={"autocomplete": "off"}),
        )
    return forms.ChoiceField(
        label=str(list_filter.label),
        required=False,
        choices=[("", list_filter.any_label), *list_filter.choices()],
    )


class SearchForm(forms.Form):
    """The people list's search box and filters.

    ``organisation`` is an id (links from an organisation's page), ``organisation_name`` what a
    person types; ``archived`` and ``import`` (an import's id) count for managers and owners.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *PersonRole.Role.choices]
    )
    interest = forms.CharField(label=_("Interest"), required=False, max_length=100)
    organisation = forms.IntegerField(
        label=_("Organisation"), required=False, min_value=1, widget=forms.HiddenInput
    )
    organisation_name = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    archived = forms.BooleanField(label=_("Archived people only"), required=False)
    cursor = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for list_filter in list_filters.registered():
            self.fields[list_filter.name] = _filter_field(list_filter)
        # ?import=<id>: the people an import added or changed (its page links here).
        self.fields["import"] = forms.IntegerField(
            required=False, min_value=1, widget=forms.HiddenInput
        )

    def extra_filters(self) -> list[forms.BoundField]:
        """The filters other apps registered, as fields of this form."""
        return [self[f.name] for f in list_filters.registered()]

    def extra_values(self) -> dict[str, str]:
        """The chosen values of the registered filters (after ``is_valid``)."""
        data = getattr(self, "cleaned_data", {})
        return {f.name: data[f.name] for f in list_filters.registered() if data.get(f.name)}


class PersonForm(forms.Form):
    """Add or edit a person; emails and phones one per line, the first is the primary."""

    given_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=150,
        required=False,
        help_text=_("What they like to be called."),
    )
    emails = forms.CharField(
        label=_("Emails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("One per line; the first is the main one."),
    )
    phones = forms.CharField(
        label=_("Phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("One per line; numbers without + use the business's country."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=PersonRole.Role.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    locality = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    region = forms.CharField(label=_("Province or state"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("Two letters, e.g. CA.")
    )
    language = forms.CharField(label=_("Language"), max_length=35, required=False)
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, required=False, help_text="America/Halifax"
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(
        label=_("How do we know?"),
        required=False,
        choices=FactSource.choices,
        initial=FactSource.TOLD_US,
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["emails"] = _lines(data["emails"])
        data["phones"] = _lines(data["phones"])
        if not data["source"]:
            del data["source"]  # not sent: told us for someone new, unchanged on an edit
        return data


class PersonCreateForm(PersonForm):
    """Add a person; ``confirm_duplicates`` is sent by "Save anyway" after a duplicate warning."""

    confirm_duplicates = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def service_kwargs(self) -> dict[str, Any]:
        data = super().service_kwargs()
        del data["confirm_duplicates"]
        return data


class PersonInterestForm(forms.Form):
    name = forms.CharField(label=_("Interest"), max_length=100)
    attitude = forms.ChoiceField(
        label=_("Attitude"),
        choices=PersonInterest.Attitude.choices,
        initial=PersonInterest.Attitude.LIKES,
    )
    source = forms.ChoiceField(
        label=_("How do we know?"),
        choices=PersonInterest.Source.choices,
        initial=PersonInterest.Source.TOLD_US,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TagForm(forms.Form):
    """A tag's name: one to put on a person (existing ones suggested), or a tag's new name."""

    name = forms.CharField(
        label=_("Tag"),
        max_length=TAG_MAX_LENGTH,
        widget=SuggestInput(tag_options, attrs={"autocomplete": "off"}),
    )


class PersonUserForm(forms.Form):
    """Which login belongs to this person; empty unlinks it.

    Only an id is parsed: the chosen login is looked up and checked by the view and service, so a
    login taken by someone else meanwhile is reported on the field instead of vanishing.
    """

    user = forms.IntegerField(label=_("Login"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, users: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(u.pk, f"{u.email} ({u.get_role_display()})") for u in users]
        self.fields["user"].widget.choices = [("", _("No login")), *options]


RELATION_LABELS = {
    "spouse": _("spouse / partner"),
    "parent": _("parent"),
    "child": _("child"),
    "sibling": _("sibling"),
    "friend": _("friend"),
    "colleague": _("colleague"),
    "referred_by": _("was referred by"),
    "referred": _("referred"),
    "custom": _("other (give a label)"),
}


class RelationshipForm(forms.Form):
    """ "This person is the <kind> of <other>"."""

    other_id = forms.IntegerField(label=_("Other person"), widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("This person is their"), choices=[(k, RELATION_LABELS[k]) for k in KIND_CHOICES]
    )
    custom_label = forms.CharField(label=_("Label"), max_length=60, required=False)
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RelationshipEditForm(forms.Form):
    """A relationship's since-date and notes, and its label when it is a custom one."""

    custom_label = forms.CharField(label=_("Label"), max_length=60, required=False)
    since = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a couple, the wedding date."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, custom: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not custom:
            del self.fields["custom_label"]


class PickForm(forms.Form):
    """A name to look for in a picker (the no-JavaScript way to choose a person or company)."""

    q = forms.CharField(label=_("Find"), required=False, max_length=100)


class MembershipForm(forms.Form):
    organisation_id = forms.IntegerField(label=_("Organisation"), widget=forms.HiddenInput)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)


class MemberForm(forms.Form):
    person_id = forms.IntegerField(label=_("Person"), widget=forms.HiddenInput)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    locality = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    region = forms.CharField(label=_("Province or state"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
