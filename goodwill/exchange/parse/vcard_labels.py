"""The labels of a vCard's emails and phones: goodwill's own ``X-GOODWILL-LABEL``, Apple's
``itemN.X-ABLabel``, the standard TYPE words (home, work, cell…) as people say them, else the
file's own TYPE as written (an ``OwnLabel`` when it is no type word, kept exactly)."""

from __future__ import annotations

import re

from goodwill.exchange.parse.records import ContactRecord, OwnLabel
from goodwill.exchange.parse.vcard_lines import TYPE_WORDS, Prop
from goodwill.exchange.parse.vcard_values import unescape

_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# TYPE values that are no label a person gave (the importer drops these too).
_NOT_LABELS = frozenset({"pref", "internet", "x400", "smtp", "voice", "text", "video", "msg"})
# Words the importer reads as types too ("business" is "work", "cellular" "mobile"), and
# goodwill's parameter that holds an email's or phone's label as it is when its TYPE would read
# as vCard's types (``TYPE=home;X-GOODWILL-LABEL="Home"``, ``X-GOODWILL-LABEL="text"``).
_TYPE_ALIASES = frozenset({"business", "cellular"})
OWN_LABEL = "X-GOODWILL-LABEL"


def reads_as_types(value: str) -> bool:
    """Whether a TYPE value reads as vCard's standard types rather than as a label of the
    person's own: a type word in any case (``Home``, ``text``, ``pref``), a list of them
    (``Home, work``, which the reader splits) or an ``X-`` extension (``x-custom``)."""
    parts = (part.strip().lower() for part in value.split(","))
    return all(
        part in TYPE_WORDS or part in _TYPE_ALIASES or part.startswith("x-")
        for part in parts
        if part
    )


def _own_label(prop: Prop) -> str:
    """goodwill's ``X-GOODWILL-LABEL`` of an email or phone, as written; "" without one."""
    label = prop.params.get(OWN_LABEL, "")
    return OwnLabel(label) if label.strip() else ""


def add_email(record: ContactRecord, prop: Prop, address: str, group_label: str) -> None:
    """An email with its label: goodwill's own, Apple's (``itemN.X-ABLabel``), a standard
    TYPE (home, work, other), else the file's own TYPE as written."""
    if not address:
        return
    label = _own_label(prop) or group_label
    label = label or _first(prop.types, ("home", "work", "other")) or _written(prop)
    record.emails.append((address, label))


def add_phone(record: ContactRecord, prop: Prop, number: str, group_label: str) -> None:
    """A phone with its label: goodwill's own, fax or pager, Apple's, mobile for a cell phone,
    a standard TYPE (home, work, main, other), else the file's own TYPE as written."""
    number = number.removeprefix("tel:").replace(";ext=", " ext. ")
    if not number:
        return
    label = _own_label(prop) or _first(prop.types, ("fax", "pager")) or group_label
    label = label or ("mobile" if "cell" in prop.types else "")
    label = label or _first(prop.types, ("home", "work", "main", "other")) or _written(prop)
    record.phones.append((number, label))


def _first(types: set[str], order: tuple[str, ...]) -> str:
    return next((t for t in order if t in types), "")


def _written(prop: Prop) -> str:
    """A label of the file's own (``TYPE="Front desk"``), as written: no standard TYPE and
    no ``X-`` extension, which say how to reach the value, not what the person calls it. One
    that is no type word at all (``TYPE="Business, 2nd"``) is an ``OwnLabel``, kept exactly."""
    for written in prop.written_types:
        if not reads_as_types(written):
            return OwnLabel(written)
        if written.lower() not in _NOT_LABELS and not written.lower().startswith("x-"):
            return written
    return ""


def label_text(value: str) -> str:
    value = unescape(value).strip()
    if match := _APPLE_LABEL.match(value):
        value = _CAMEL.sub(" ", match[1])
        return value.capitalize() if value.lower() == "anniversary" else value.lower()
    return "Anniversary" if value.casefold() == "anniversary" else value
