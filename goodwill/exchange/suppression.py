"""The suppression list: erased people's email addresses, kept only as keyed hashes.

An address is normalised (``normalise_email``; an unparseable one is stripped and lower-cased),
then hashed with HMAC-SHA256 under the database's ``SuppressionKey``: the list can say "this
address was erased" but never which addresses it holds. The key lives in the database with the
list (not in the data folder's ``SECRET_KEY``), so a backup restored anywhere keeps working.
Importers and outreach call ``is_suppressed`` before they (re)create a person or send to an
address.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from goodwill.exchange.models import Suppression, SuppressionKey
from goodwill.people.normalize import normalise_email

KEY_ID = 1  # the one row of SuppressionKey


_ADDRESS = re.compile(r"[^\s<>()\[\]:;,\"']+@[^\s<>()\[\]:;,\"']+")


def normalised(email: str) -> str:
    """The address as goodwill stores it; unparseable text is compared stripped and lower-cased."""
    try:
        return normalise_email(email)
    except ValueError:
        return (email or "").strip().lower()


def addresses_in(text: str) -> list[str]:
    """The addresses in an email value that does not normalise ("Ann <ann@x.example>",
    "mailto:ann@x.example", "ann@x.example."), as ``normalised`` compares them: only to keep an
    erased person's row out of an import."""
    return [normalised(found.rstrip(".")) for found in _ADDRESS.findall(text or "")]


def stored_key() -> bytes | None:
    """The list's key, or None while nobody was ever erased (then the list is empty)."""
    key = SuppressionKey.objects.filter(pk=KEY_ID).values_list("key", flat=True).first()
    return bytes.fromhex(key) if key else None


def hash_key() -> bytes:
    """The list's key, made (32 random bytes) the first time it is needed."""
    key = stored_key()
    if key is not None:
        return key
    row, _created = SuppressionKey.objects.get_or_create(
        pk=KEY_ID, defaults={"key": secrets.token_hex(32)}
    )
    return bytes.fromhex(row.key)


def email_hash(email: str, key: bytes | None = None) -> str:
    """The keyed hash (64 hex digits) the suppression list stores for ``email`` (under ``key``,
    by default the database's)."""
    key = hash_key() if key is None else key
    return hmac.new(key, normalised(email).encode(), hashlib.sha256).hexdigest()


def is_suppressed(email: str) -> bool:
    """Whether ``email`` belongs to an erased person (never re-import or mail it)."""
    return bool(suppressed_emails([email]))


def suppressed_emails(emails: Iterable[str]) -> set[str]:
    """Which of ``emails`` belong to erased people, in one query (for a chunk of an import);
    nothing is hashed while nobody was ever erased (no key yet), so imports pay one small
    query until someone is erased."""
    wanted = {e for e in emails if (e or "").strip()}
    if not wanted:
        return set()
    key = stored_key()
    if key is None:
        return set()
    by_hash: dict[str, set[str]] = {}
    for email in wanted:  # "Ann@X.example" and "ann@x.example" share one hash
        by_hash.setdefault(email_hash(email, key), set()).add(email)
    found = Suppression.objects.filter(email_hash__in=list(by_hash)).values_list(
        "email_hash", flat=True
    )
    return {email for h in found for email in by_hash[h]}
