"""What some cells of a CSV row become on its record: text fields (notes add up, others keep
the first value), organisations and titles paired in order, and Thunderbird's Birth Year /
Month / Day columns joined into one date."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goodwill.exchange.parse.dates import checked
from goodwill.exchange.parse.records import ContactRecord, YearlyDate


class CellError(Exception):
    """A cell the row cannot use, with its column (the row is kept, without it)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def pair_work(record: ContactRecord, work: dict[str, list[str]]) -> None:
    """Organisations and titles joined in their cells as Google and goodwill join them
    ("Inn ::: Co-op", "Chef ::: Chair"), paired in order: the first is ``organisation`` and
    ``job_title``, the others ``more_organisations`` (a title may be empty: " ::: Chair")."""
    names = work.get("organisation", [record.organisation])
    titles = work.get("job_title", [record.job_title])
    record.more_organisations = [
        (name, titles[i] if i < len(titles) else "")
        for i, name in enumerate(names[1:], start=1)
        if name
    ]


def set_text(record: ContactRecord, field: str, value: str) -> None:
    current = getattr(record, field)
    if field == "note" and current:
        setattr(record, field, f"{current}\n{value}")
    elif not current:
        setattr(record, field, value)


def joined_birthday(parts: dict[str, tuple[str, str]]) -> YearlyDate | None:
    """Thunderbird's Birth Year / Birth Month / Birth Day columns as one date."""
    numbers: dict[str, int] = {}
    for field, (header, value) in parts.items():
        if not value.isdecimal() or len(value) > 4:  # what int() reads, no huge numbers
            raise CellError(header, _("%(v)r is not a number.") % {"v": value[:20]})
        numbers[field] = int(value)
    if "birth_month" not in numbers or "birth_day" not in numbers:
        header = parts.get("birth_month", parts.get("birth_day", ("", "")))[0]
        raise CellError(header, _("A birthday needs both a month and a day."))
    year = numbers.get("birth_year") or None
    order = ("birth_year", "birth_month", "birth_day")
    value = "/".join(parts[f][1] for f in order if f in parts)
    try:
        return checked(numbers["birth_month"], numbers["birth_day"], year, value)
    except ValueError as exc:
        raise CellError(parts["birth_month"][0], str(exc)) from exc
