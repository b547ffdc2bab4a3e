"""Erasure and the texts the app copied onto other people's records: a greeting for a couple or a
household ("Happy anniversary, Jack and Ann!") is remembered as the occasion's touch, as an
interaction on each member's timeline, as each member's touch, and in the audit entries of those
rows. Once one of them is erased, each of those texts still naming them (their full, given,
preferred or family name, its words next to each other; a name the others hold too, such as a
shared family name, names nobody in particular and stays) says ``REMOVED`` instead, as sent
mail naming them does (``goodwill.outreach.services.mentions``); the audit entries say
``[erased]``. Such a greeting still in the outbox (it went to addresses they no longer had) is
redacted once sent, else withdrawn. Staff notes the others keep are theirs and stay as written.

``greetings_found`` reads (before the erased person's rows go), ``greetings_forget`` writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q

from goodwill.accounts.models import AuditEntry
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.selectors.greetings import greeting_key
from goodwill.outreach.services.mentions import REMOVED, mentions_forget, says_name
from goodwill.people.models import Person, Relationship
from goodwill.people.normalize import fold
from goodwill.timeline.models import Interaction

ERASED = "[erased]"


@dataclass(frozen=True)
class Greetings:
    """The rows of the others that may hold a text naming the erased person, by model."""

    names: list[str]
    rows: dict[type[Model], list[int]]
    years: list[int]  # the kept occasions' years, whose audit entries kept each touch's text
    messages: list[int]  # greetings kept in the outbox (to the others only) that name them


def _names(person: Person, others: list[Person]) -> list[str]:
    theirs = {fold(n) for o in others for n in (o.given_name, o.family_name, o.preferred_name)}
    names = [person.full_name, person.given_name, person.preferred_name, person.family_name]
    return [n for n in dict.fromkeys(names) if n.strip() and fold(n) not in theirs]


def _others(person: Person, rows: dict[type[Model], list[int]]) -> list[Person]:
    ties = Relationship.objects.filter(pk__in=rows[Relationship])
    ids = {pid for pair in ties.values_list("from_person_id", "to_person_id") for pid in pair}
    household = Q(household_id=person.household_id) if person.household_id else Q(pk__in=[])
    return list(Person.objects.filter(Q(pk__in=ids) | household).exclude(pk=person.pk))


def _greetings_naming(occasion_ids: set[int], theirs: list[int], names: list[str]) -> list[int]:
    """The greetings sent for these occasions that stay in the outbox (not sent to the erased
    person's addresses: ``theirs`` go with them) and name them."""
    years = OccasionYear.objects.filter(occasion_id__in=occasion_ids)
    keys = [greeting_key(Occasion(pk=o), y) for o, y in years.values_list("occasion_id", "year")]
    kept = OutboxMessage.objects.filter(idempotency_key__in=keys).exclude(pk__in=theirs)
    return [
        pk
        for pk, subject, body in kept.values_list("pk", "subject", "body_text")
        if says_name(subject, names) or says_name(body, names)
    ]


def greetings_found(person: Person, rows: dict[type[Model], list[int]]) -> Greetings:
    """What ``greetings_forget`` looks at: the touches of ``person``'s couple and household
    occasions, the interactions they put on the others' timelines, and the others' touches for
    those occasions or for the messages sent to ``person`` (``rows``: ``their_rows``)."""
    others = _others(person, rows)
    occasion_ids = set(rows[Occasion])
    if person.household_id is not None:
        household = Occasion.objects.filter(household_id=person.household_id)
        occasion_ids |= set(household.values_list("pk", flat=True))
    touches = list(
        OccasionTouch.objects.filter(record__occasion_id__in=occasion_ids).values_list(
            "pk", "summary", "occurred_at", "interaction_id", "record_id", "record__occasion_id"
        )
    )
    copied = {(summary, at) for _pk, summary, at, _i, _r, _o in touches}
    summaries = sorted({summary for summary, _at in copied})
    other_ids = [o.pk for o in others]
    linked = [i for *_x, i, _r, _o in touches if i is not None]
    timeline = Interaction.objects.filter(person_id__in=other_ids).filter(
        Q(pk__in=linked) | Q(summary__in=summaries)
    )
    interactions = [
        pk
        for pk, summary, at in timeline.values_list("pk", "summary", "occurred_at")
        if pk in linked or (summary, at) in copied
    ]
    sent = Q(message_id__in=rows[OutboxMessage]) | Q(summary__in=summaries)
    their_touches = Touch.objects.filter(person_id__in=other_ids).filter(sent)
    names = _names(person, others)
    return Greetings(
        names=names,
        messages=_greetings_naming(occasion_ids, rows[OutboxMessage], names),
        rows={
            OccasionTouch: [t[0] for t in touches if t[5] not in rows[Occasion]],
            Interaction: interactions,
            Touch: list(their_touches.values_list("pk", flat=True)),
        },
        years=sorted({t[4] for t in touches if t[5] not in rows[Occasion]}),
    )


def _scrub(value: Any, names: list[str]) -> tuple[Any, bool]:
    """``value`` (an audit entry's changes) with each string naming them as ``ERASED``."""
    if isinstance(value, str):
        return (ERASED, True) if says_name(value, names) else (value, False)
    if isinstance(value, list | dict):
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        scrubbed = {k: _scrub(v, names) for k, v in pairs}
        changed = any(c for _v, c in scrubbed.values())
        values = {k: v for k, (v, _c) in scrubbed.items()}
        return (values if isinstance(value, dict) else list(values.values())), changed
    return value, False


def _audit_scrub(found: Greetings) -> int:
    about = Q(pk__in=[])
    targets: dict[type[Model], list[int]] = {
        **found.rows,
        OccasionYear: found.years,
        OutboxMessage: found.messages,
    }
    for model, ids in targets.items():
        if ids:
            about |= Q(target_type=model._meta.label_lower, target_id__in=ids)
    entries = list(AuditEntry.objects.filter(about).only("pk", "target_label", "changes"))
    changed = 0
    for entry in entries:
        label_says = says_name(entry.target_label, found.names)
        changes, changes_say = _scrub(entry.changes, found.names)
        if label_says or changes_say:
            label = ERASED if label_says else entry.target_label
            AuditEntry.objects.filter(pk=entry.pk).update(target_label=label, changes=changes)
            changed += 1
    return changed


def _texts_forget(
    model: type[Model], ids: list[int], fields: tuple[str, ...], names: list[str]
) -> int:
    removed, changed = str(REMOVED), 0
    for row in model._default_manager.filter(pk__in=ids).values("pk", *fields):
        update = {f: removed for f in fields if says_name(row[f], names)}
        if update:
            model._default_manager.filter(pk=row["pk"]).update(**update)
            changed += 1
    return changed


def greetings_forget(found: Greetings) -> dict[str, int]:
    """Put ``REMOVED`` in place of each of ``found``'s texts naming the erased person, and
    ``ERASED`` in the audit entries of those rows; a greeting of theirs in the outbox is redacted
    once sent, else withdrawn, as internal mail is (``mentions_forget``: nothing renders a
    greeting again). Returns how many rows changed, by kind."""
    if not found.names:
        return {"texts": 0, "audit_entries": 0, "messages": 0}
    texts = _texts_forget(OccasionTouch, found.rows[OccasionTouch], ("summary",), found.names)
    texts += _texts_forget(Interaction, found.rows[Interaction], ("summary", "body"), found.names)
    texts += _texts_forget(Touch, found.rows[Touch], ("summary",), found.names)
    audit_entries = _audit_scrub(found)
    mail = mentions_forget(message_ids=found.messages, names=found.names)
    return {"texts": texts, "audit_entries": audit_entries, "messages": sum(mail.values())}
