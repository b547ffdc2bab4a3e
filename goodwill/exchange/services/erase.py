"""Erasure (the right to be forgotten): remove a person and everything about them, for good.

What goes: the person, their emails, phones, roles, memberships, interests, relationships (both
ways) with the occasions of those couples, their own occasions with each year's memory and
touches, their interactions, every outbox message linked to them or linked to nobody and
addressed to one of their addresses (one linked to someone else is theirs), every audit entry
about them or about any of those rows (they hold their data), and the warnings import batches
kept about rows that became or updated them (the values left out of their row), and those of
rows whose person was unknown (a dry run's) holding one of their addresses, phones or their
full name. Other audit entries that kept a search as typed
(``SEARCH_ACTIONS``: an export of "erin@example.com") keep ``[erased]`` instead of a search
naming one of their addresses (a whole word of it), phones (or a local number's last seven
digits) or their full name (its words next to each other, in either order, "Lee, Ann" too:
erasing "Al" leaves "Halifax"). The team's mail naming them (a digest) is rewritten without
them, withdrawn when they were all it said, or, once sent, keeps a fixed line instead of its
text (``goodwill.outreach.services.mentions``); so does each greeting text of a couple's or
household's occasion that the others keep and that names them (``erase_greetings``). Whoever they
referred has their journey recomputed at once ("Referred <them>, who bought." goes).

What stays: a keyed hash of each of their addresses in the suppression list, so no import or
mailing brings them back, except an address someone else holds too (a couple's shared one): it
is still theirs, so it stays usable; one ``person.erase`` audit entry with the actor, the time, the
erased row's id and how many rows of each kind went (no name, no address); the import
batches' counts; and the business's
own records they pointed to: a household left without members (its name and shared address are
the business's record of the household; an owner deletes it separately if it must go too),
organisations, and the interest vocabulary (recounted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass

import phonenumbers
from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.services import journey_refresh
from goodwill.commerce.services.journey import referrers_of
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.exchange.export.theirs import address_holders, audit_about, person_emails, their_rows
from goodwill.exchange.importer.owners import traces
from goodwill.exchange.importer.problems import running_batches_lock, warnings_erase
from goodwill.exchange.models import Suppression
from goodwill.exchange.services.erase_greetings import ERASED, greetings_forget, greetings_found
from goodwill.exchange.services.erase_replies import replies_forget
from goodwill.exchange.services.erase_uploads import uploads_forget
from goodwill.exchange.suppression import email_hash, name_key, pair_hash
from goodwill.occasions.models import Occasion
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.mentions import mentions_forget, messages_naming
from goodwill.people.models import (
    Person,
    PersonInterest,
    PersonPhone,
    PersonTag,
    Relationship,
)
from goodwill.people.normalize import fold
from goodwill.people.services.interests import interest_counts_refresh
from goodwill.people.services.tags import tag_counts_refresh

# Audit actions that keep the search text as typed, in ``changes["filters"]["q"]``.
SEARCH_ACTIONS = ("person.export",)
MIN_PHONE_DIGITS = 6  # shorter digit runs are too common to say a search named their phone
LOCAL_DIGITS = 7  # a number without its area code ("555 0321"): the end of their own
_WORD = re.compile(r"\w+")
_ADDRESS_EDGES = "<>()[]{}\"',;:"  # around an address typed as "<erin@example.com>,"


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _tokens(text: str) -> set[str]:
    return {token.strip(_ADDRESS_EDGES).casefold() for token in text.split()}


def _phone_digits(phones: list[str]) -> list[str]:
    """Their phones' digits, with and without the country code, long enough to be theirs."""
    digits = set()
    for phone in phones:
        digits.add("".join(c for c in phone if c.isdigit()))
        with suppress(phonenumbers.NumberParseException):
            digits.add(str(phonenumbers.parse(phone).national_number))
    return sorted(d for d in digits if len(d) >= MIN_PHONE_DIGITS)


@dataclass(frozen=True)
class _Traces:
    """What a search naming the person holds: one of their addresses as a whole token, the
    words of their full name next to each other (in any order), or the digits of one of their
    phones (or the last seven or more of them)."""

    emails: frozenset[str]
    name: tuple[str, ...]
    digits: tuple[str, ...]

    def named_in(self, q: str) -> bool:
        if self.emails & _tokens(q):
            return True
        words, size, name = _words(q), len(self.name), sorted(self.name)
        if size and any(sorted(words[i : i + size]) == name for i in range(len(words))):
            return True
        q_digits = "".join(c for c in q if c.isdigit())
        if len(q_digits) >= LOCAL_DIGITS and any(d.endswith(q_digits) for d in self.digits):
            return True
        return any(d in q_digits for d in self.digits)


def _redact_searches(them: _Traces) -> int:
    """Put ``ERASED`` in place of each audited search text (``changes.filters.q`` of
    ``SEARCH_ACTIONS``) that names the person; returns how many entries changed."""
    entries = AuditEntry.objects.filter(
        action__in=SEARCH_ACTIONS, changes__filters__has_key="q"
    ).only("pk", "changes")
    # Read first, then write: SQLite gives no isolation between a read and a write of one table.
    found = [
        entry
        for entry in entries.iterator()
        if isinstance(q := entry.changes["filters"]["q"], str) and them.named_in(q)
    ]
    for entry in found:
        entry.changes["filters"]["q"] = ERASED
        AuditEntry.objects.filter(pk=entry.pk).update(changes=entry.changes)
    return len(found)


def _suppress(emails: Iterable[str], shared: Iterable[str] = (), name: str = "") -> None:
    """Their addresses on the list; one someone else holds too only with their name, so that
    the other keeps it while their own row stays out of an import (``pair_hash``)."""
    hashes = {email_hash(e) for e in emails} | {pair_hash((e, name)) for e in shared if name}
    Suppression.objects.bulk_create(
        [Suppression(email_hash=h, reason="erasure") for h in sorted(hashes)],
        ignore_conflicts=True,
    )


def person_erase_refusal(person: Person) -> str | None:
    """Why ``person`` cannot be erased yet, or None: a login linked to them must be unlinked
    first (deactivating it is not enough: the login would still point at the erased row)."""
    if person.user_id is None:
        return None
    email = User.objects.filter(pk=person.user_id).values_list("email", flat=True).first()
    return _(
        "This person has a login (%(email)s). Unlink it first: on their page, under “Login”, "
        "press “Unlink” (or choose “No login” and save); then erase them."
    ) % {"email": email or "?"}


def person_was_erased(person_id: int) -> bool:
    """Whether a person of this id was erased (its ``person.erase`` audit entry is kept)."""
    return AuditEntry.objects.filter(
        action="person.erase", target_type=Person._meta.label_lower, target_id=person_id
    ).exists()


def person_erase(*, actor: User | None, person: Person, confirm_name: str) -> None:
    """Remove ``person`` and everything about them (owners; they type the full name to confirm),
    keeping only hashes of their addresses; audited as ``person.erase`` without their data.
    A person with a login is refused (Conflict) until the login is unlinked."""
    require_role(actor, User.Role.OWNER)
    if refusal := person_erase_refusal(person):
        raise Conflict(refusal)
    if not _same_name(confirm_name or "", person.full_name):
        raise Invalid.field("confirm_name", _("Type the person's full name to confirm."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().filter(pk=person.pk).first()
        if locked is None:  # erased (or deleted) while this request waited for the lock
            raise NotFound(_("No such person."))
        person = locked
        if refusal := person_erase_refusal(person):  # linked meanwhile
            raise Conflict(refusal)
        running_batches_lock()  # a running import saves its chunk's warnings before or after
        rows = their_rows(person)
        greetings = greetings_found(person, rows)
        referrers = referrers_of([person.pk])
        to_them = set(rows[OutboxMessage])
        naming = [pk for pk in messages_naming(person_id=person.pk) if pk not in to_them]
        names = [person.full_name, person.call_name]
        emails = person_emails(person)
        shared = set(address_holders(person))  # theirs as well: it stays usable
        phones = list(PersonPhone.objects.filter(person=person).values_list("e164", flat=True))
        them = _Traces(
            emails=frozenset(e.casefold() for e in emails),
            name=tuple(_words(person.full_name)),
            digits=tuple(_phone_digits(phones)),
        )
        hashes = set(traces(emails=emails, phones=phones, name_key=person.sort_key))
        interest_ids = list(
            PersonInterest.objects.filter(person=person).values_list("interest_id", flat=True)
        )
        tag_ids = list(PersonTag.objects.filter(person=person).values_list("tag_id", flat=True))
        audit_removed, _by_model = AuditEntry.objects.filter(audit_about(person, rows)).delete()
        searches = _redact_searches(them)
        warnings = warnings_erase(person.pk, hashes)
        replies = replies_forget(person.pk, emails, phones, rows)
        OutboxMessage.objects.filter(pk__in=rows[OutboxMessage]).delete()
        Occasion.objects.filter(pk__in=rows[Occasion]).delete()
        Relationship.objects.filter(pk__in=rows[Relationship]).delete()
        person_id = person.pk
        person.delete()
        internal = mentions_forget(message_ids=naming, names=names)  # once their rows are gone
        interest_counts_refresh(interest_ids)
        tag_counts_refresh(tag_ids)
        journey_refresh(person_ids=referrers)  # "Referred <them>, who bought." goes
        copied = greetings_forget(greetings)
        _suppress(emails - shared, shared, name_key(person.given_name, person.family_name))
        uploads = uploads_forget(emails)
        counts = {model._meta.label_lower: len(ids) for model, ids in rows.items() if ids}
        counts["accounts.auditentry"] = audit_removed
        audit_record(
            actor=actor,
            action="person.erase",
            target=Person(pk=person_id),
            changes={
                "removed": counts,
                "suppressed_addresses": len(emails - shared),
                "shared_addresses_kept": len(shared),
                "import_warnings_removed": warnings,
                "api_replies_removed": replies,
                "uploads_deleted": uploads,
                "searches_redacted": searches,
                "internal_messages": internal,
                "greetings_redacted": copied,
            },
        )
