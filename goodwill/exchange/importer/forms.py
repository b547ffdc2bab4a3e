"""The import pages' input: the uploaded file, then the mapping of each CSV column and the
options (what to do with matches, unmapped columns and categories)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goodwill.core.errors import Invalid
from goodwill.exchange.models import ImportBatch

UNMAPPED = [
    ("ignore", _("Ignore them")),
    ("notes", _("Add them to the person's notes")),
]
CATEGORIES = [
    ("interests", _("Interests (likes)")),
    ("tags", _("Tags (your own labels, such as VIP)")),
    ("notes", _("Add them to the person's notes")),
    ("ignore", _("Ignore them")),
]


class ImportUploadForm(forms.Form):
    """The file to import: CSV (any spreadsheet or address book) or vCard."""

    file = forms.FileField(
        # An empty file goes on to the import's own check, whose message names it.
        allow_empty_file=True,
        label=_("Contacts file"),
        help_text=_("CSV from Google, Outlook, Apple, HubSpot, Mailchimp or a spreadsheet; vCard."),
    )


class ImportOptionsForm(forms.Form):
    """The mapping step: one choice per CSV column (``column_<n>``) and the run's options."""

    dedupe = forms.ChoiceField(
        label=_("When a row matches someone already here (same email or phone)"),
        choices=[
            ("update-empty", _("Fill in their empty fields only")),
            ("overwrite", _("Overwrite their fields with the file's")),
            ("skip", _("Skip the row")),
            ("create", _("Create a new person anyway")),
        ],
        initial=ImportBatch.Dedupe.UPDATE_EMPTY,
        widget=forms.RadioSelect,
    )
    possible_duplicates = forms.ChoiceField(
        label=_("When a row has no email or phone and its full name is already here"),
        choices=[
            ("skip", _("Skip it and list it as a possible duplicate")),
            ("create", _("Create a new person anyway")),
        ],
        initial="skip",
        widget=forms.RadioSelect,
    )
    unmapped = forms.ChoiceField(
        label=_("Columns not imported"), choices=UNMAPPED, initial="ignore"
    )
    categories = forms.ChoiceField(
        label=_("Categories, labels, groups and interests"),
        help_text=_("A column called Tags, and goodwill's own tags, always become tags."),
        choices=CATEGORIES,
        initial="interests",
    )
    day_first = forms.BooleanField(
        label=_("Dates are written day first (31/12/1980)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        columns: list[Any],
        choices: list[tuple[str, Any]],
        chosen: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``chosen`` is the mapping confirmed before (a dry run's), shown again."""
        super().__init__(*args, **kwargs)
        self.columns = columns
        for index, column in enumerate(columns):
            options = list(choices)
            before = (chosen or {}).get(column.header, column.target)
            before = "" if before == "ignore" else before
            for value in (column.target, before):
                if value and value not in dict(options):
                    options.append((value, value))
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column.header or _("(no header)"),  # a purchases file's blank one
                choices=options,
                required=False,
                initial=before,
            )

    def column_fields(self) -> list[tuple[Any, forms.BoundField]]:
        """The columns with a value in the first rows or a destination, with their choice."""
        return [p for p in self._pairs() if p[0].samples or p[1].value()]

    def quiet_fields(self) -> list[tuple[Any, forms.BoundField]]:
        """The other columns (empty so far, going nowhere): shown folded away."""
        return [p for p in self._pairs() if not (p[0].samples or p[1].value())]

    def _pairs(self) -> list[tuple[Any, forms.BoundField]]:
        return [(c, self[f"column_{i}"]) for i, c in enumerate(self.columns)]

    def options(self) -> dict[str, Any]:
        """The service's options (call after ``is_valid()``): only the columns whose choice
        differs from the automatic one are sent as the mapping ("ignore" for not imported)."""
        data = self.cleaned_data
        mapping = {}
        for index, column in enumerate(self.columns):
            chosen = data.get(f"column_{index}") or ""
            if chosen != column.target:
                mapping[column.header] = chosen or "ignore"
        return {
            "dedupe": data.get("dedupe"),
            "unmapped": data.get("unmapped"),
            "categories": data.get("categories"),
            "possible_duplicates": data.get("possible_duplicates"),
            "day_first": data["day_first"],
            "mapping": mapping,
        }


def mapping_from_pairs(pairs: list[str]) -> dict[str, str]:
    """``["Mobile=phone:mobile", "Hat=ignore"]`` (the CLI's and the API's ``map``) as a mapping;
    Invalid on ``map`` for a pair without "="."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip():
            message = gettext("Write COLUMN=FIELD, not %(p)r.") % {"p": pair}
            raise Invalid.field("map", message)
        mapping[column.strip()] = field.strip()
    return mapping
