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
from collections.abc import Callable, Iterable
from typing import TypeVar

from goodwill.exchange.models import Suppression, SuppressionKey
from goodwill.people.normalize import fold, normalise_email

T = TypeVar("T")

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


def suppressed_emails(emails: Iterable[str], key: bytes | None = None) -> set[str]:
    """Which of ``emails`` belong to erased people, in one query (for a chunk of an import);
    nothing is hashed while nobody was ever erased (no key yet), so imports pay one small
    query until someone is erased. ``key``: the list's, when the caller has read it."""
    # "Ann@X.example" and "ann@x.example" share one hash
    return _suppressed({e for e in emails if (e or "").strip()}, email_hash, key)


def name_key(given_name: str, family_name: str) -> str:
    """A person's folded full name, as an import row's ``name_key`` is made."""
    return fold(f"{given_name} {family_name}")[:310]


def pair_hash(pair: tuple[str, str], key: bytes | None = None) -> str:
    """The keyed hash the list stores for an erased person's address that someone else still
    holds (a couple's shared one), with the erased person's ``name_key``: it keeps their row
    out of an import, while the address stays usable for the other."""
    email, name = pair
    key = hash_key() if key is None else key
    return hmac.new(key, f"{normalised(email)}\x1f{name}".encode(), hashlib.sha256).hexdigest()


def suppressed_pairs(
    pairs: Iterable[tuple[str, str]], key: bytes | None = None
) -> set[tuple[str, str]]:
    """Which of ``pairs`` (an address, a row's ``name_key``) are an erased person's address
    that someone else holds and their name, in one query."""
    return _suppressed({p for p in pairs if p[0].strip() and p[1]}, pair_hash, key)


def _suppressed(wanted: set[T], hasher: Callable[[T, bytes], str], key: bytes | None) -> set[T]:
    if not wanted:
        return set()
    key = key or stored_key()
    if key is None:
        return set()
    by_hash: dict[str, set[T]] = {}
    for item in wanted:
        by_hash.setdefault(hasher(item, key), set()).add(item)
    found = Suppression.objects.filter(email_hash__in=list(by_hash)).values_list(
        "email_hash", flat=True
    )
    return {item for h in found for item in by_hash[h]}
