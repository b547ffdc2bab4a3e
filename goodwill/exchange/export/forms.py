"""The export page's choices: the people list's filters, and a byte-order mark for Excel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from goodwill.commerce.models import Journey
from goodwill.exchange.export.selectors import ExportFilters
from goodwill.people.models import PersonRole


class ExportForm(forms.Form):
    """Which people to export (as on the people list) and how (``bom`` for CSV in Excel)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *PersonRole.Role.choices]
    )
    interest = forms.CharField(label=_("Interest"), required=False, max_length=100)
    organisation = forms.IntegerField(
        label=_("Organisation"), required=False, min_value=1, widget=forms.HiddenInput
    )
    archived = forms.BooleanField(label=_("Archived people only"), required=False)
    include_archived = forms.BooleanField(label=_("Everyone, archived people too"), required=False)
    stage = forms.ChoiceField(
        label=_("Journey stage"),
        required=False,
        choices=[("", _("Any stage")), *Journey.Stage.choices],
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    bom = forms.BooleanField(
        label=_("CSV for Excel (add a byte-order mark)"), required=False, initial=False
    )

    def filters(self) -> ExportFilters:
        """The valid filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return ExportFilters(
            q=data.get("q") or "",
            role=data.get("role") or "",
            interest=data.get("interest") or "",
            organisation_id=data.get("organisation"),
            archived=None if data.get("include_archived") else bool(data.get("archived")),
            stage=data.get("stage") or "",
            tag=data.get("tag") or "",
        )
