"""The suppression list: erased people's email addresses, kept only as keyed hashes.

An address is normalised (``normalise_email``; an unparseable one is stripped and lower-cased),
then hashed with HMAC-SHA256 under a key derived from ``SECRET_KEY``: the list can say "this
address was erased" but never which addresses it holds. Importers and outreach call
``is_suppressed`` before they (re)create a person or send to an address.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.crypto import salted_hmac

from goodwill.exchange.models import Suppression
from goodwill.people.normalize import normalise_email

KEY_SALT = "goodwill.exchange.suppression"


def normalised(email: str) -> str:
    """The address as goodwill stores it; unparseable text is compared stripped and lower-cased."""
    try:
        return normalise_email(email)
    except ValueError:
        return (email or "").strip().lower()


def email_hash(email: str) -> str:
    """The keyed hash (64 hex digits) the suppression list stores for ``email``."""
    return salted_hmac(KEY_SALT, normalised(email), algorithm="sha256").hexdigest()


def is_suppressed(email: str) -> bool:
    """Whether ``email`` belongs to an erased person (never re-import or mail it)."""
    if not (email or "").strip():
        return False
    return Suppression.objects.filter(email_hash=email_hash(email)).exists()


def suppressed_emails(emails: Iterable[str]) -> set[str]:
    """Which of ``emails`` belong to erased people, in one query (for a chunk of an import);
    nothing is hashed while the list is empty, so imports pay nothing until someone is erased."""
    wanted = {e for e in emails if (e or "").strip()}
    if not wanted or not Suppression.objects.exists():
        return set()
    hashes = {email_hash(e): e for e in wanted}
    found = Suppression.objects.filter(email_hash__in=list(hashes)).values_list(
        "email_hash", flat=True
    )
    return {hashes[h] for h in found}
