"""The addresses of an email cell, which may hold more than one address, or one with a name:
"a@x; b@x", "c@x, d@x", "Ann Angle <ann@x>", "mailto:ann@x" (as Outlook, Excel lists and mail
clients write them). Pure: no database access."""

from __future__ import annotations

from email.utils import getaddresses

from goodwill.people.normalize import normalise_email

_MARKS = frozenset(";,<:")


def read_emails(raw: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The normalised addresses of the cell ``raw``, and each part of it that is no address
    with the reason (``[(value, reason)]``): the whole cell, unless it holds several addresses
    or a name (``email_parts``)."""
    try:
        return [normalise_email(raw)], []
    except ValueError as exc:
        parts = email_parts(raw)
        if parts is None:
            return [], [(raw, str(exc))]
    emails: list[str] = []
    bad: list[tuple[str, str]] = []
    for part in parts:
        try:
            emails.append(normalise_email(part))
        except ValueError as exc:
            bad.append((part, str(exc)))
    return emails, bad


def email_parts(raw: str) -> list[str] | None:
    """Each address of ``raw`` as written (``email.utils.getaddresses``, which knows names and
    quoted commas; a semicolon separates them too), or None when ``raw`` is not such a cell:
    then it is one address, valid or not."""
    if not _MARKS.intersection(raw):
        return None
    found = getaddresses([raw.replace(";", ",")])
    parts = [address.strip().removeprefix("mailto:").strip() for _name, address in found]
    if not parts or not all(parts) or parts == [raw.strip()]:
        return None
    return parts
