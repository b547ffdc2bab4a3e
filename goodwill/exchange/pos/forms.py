"""The mapping step of a purchases import: one choice per CSV column, as for contacts, and the
options of a point-of-sale export (day-first dates, creating unknown people)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from goodwill.exchange.importer.forms import ImportOptionsForm, ImportUploadForm

CONTACT_OPTIONS = ("dedupe", "possible_duplicates", "unmapped", "categories")


class PosUploadForm(ImportUploadForm):
    """The export to import: a CSV file from a till, an online shop or a booking system."""

    file = forms.FileField(
        allow_empty_file=True,  # refused by the import's own check, naming the file
        label=_("Point-of-sale or booking export (CSV)"),
        help_text=_("One row per sale, refund or stay, naming the customer by email, phone, "
                    "loyalty number or name."),
    )  # fmt: skip


class PosOptionsForm(ImportOptionsForm):
    """The columns of a POS export (``column_<n>``), ``day_first`` and ``create_people``."""

    create_people = forms.BooleanField(
        label=_("Create the people nobody here matches, when the row has their name"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CONTACT_OPTIONS:
            del self.fields[name]

    def options(self) -> dict[str, Any]:
        """The service's options (call after ``is_valid()``)."""
        contacts = super().options()
        return {
            "mapping": contacts["mapping"],
            "day_first": contacts["day_first"],
            "create_people": self.cleaned_data["create_people"],
        }
