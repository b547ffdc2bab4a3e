"""Write one matched chunk of a POS import in one short transaction: the people it creates
(``person_bulk_create``, with their loyalty numbers), each purchase's timeline entry and the
purchases themselves as multi-row inserts, and one ``purchase.import`` audit entry naming the
batch. What ``purchase_log`` does for one purchase, for thousands: same summary on the timeline,
same follow-up date, same source. Rows already imported are dropped first (``new_purchases``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Model, OuterRef, Subquery
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.commerce.models import LoyaltyNumber, Purchase
from goodwill.commerce.selectors import commerce_settings
from goodwill.commerce.services.purchases import TIMELINE_KIND, purchase_summary
from goodwill.core.errors import Invalid
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse.records import RowError
from goodwill.exchange.pos.rows import PosRow
from goodwill.people.models import FactSource
from goodwill.people.services.bulk import PersonRow, person_bulk_create
from goodwill.people.services.bulk_sql import allocate_ids, insert_rows
from goodwill.timeline.models import Interaction

Key = tuple[object, ...]
INTERACTION_FIELDS = (
    "id",
    "person_id",
    "kind",
    "direction",
    "intent",
    "channel",
    "occurred_at",
    "summary",
    "body",
    "staff_id",
    "created_by_id",
)
PURCHASE_FIELDS = (
    "id",
    "person_id",
    "kind",
    "occurred_at",
    "check_in",
    "check_out",
    "amount",
    "currency",
    "description",
    "category",
    "channel",
    "source",
    "source_detail",
    "reference",
    "followup_due_at",
    "interaction_id",
    "created_by_id",
)


@dataclass
class Written:
    """What a chunk wrote (or, in a dry run, would write)."""

    purchases: int = 0
    people: int = 0
    ids: list[int] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    slots: dict[int, int] = field(default_factory=dict)  # new person's slot -> their id
    errors: list[RowError] = field(default_factory=list)


def _stored_keys(rows: list[tuple[int, PosRow]]) -> set[Key]:
    """The keys of the stored purchases the chunk's rows could repeat."""
    ids = {pid for pid, _row in rows if pid > 0}
    if not ids:
        return set()
    refs = {row.reference for pid, row in rows if pid > 0 and row.reference}
    times = {row.occurred_at for pid, row in rows if pid > 0 and not row.reference}
    keys: set[Key] = set()
    mine = Purchase.objects.filter(person_id__in=ids)
    if refs:
        keys.update(mine.filter(reference__in=refs).values_list("person_id", "kind", "reference"))
    if times:
        fields = ("person_id", "kind", "occurred_at", "amount", "description")
        keys.update(mine.filter(occurred_at__in=times).values_list(*fields))
    return keys


def new_purchases(
    rows: list[tuple[int, PosRow]], seen: set[Key] | None
) -> tuple[list[tuple[int, PosRow]], int, list[RowError]]:
    """The rows not imported before (stored, earlier in the chunk, or in ``seen``: earlier
    chunks of a dry run), how many were, and a warning for each repeat within the chunk."""
    stored = _stored_keys(rows)
    first: dict[Key, int] = {}
    fresh: list[tuple[int, PosRow]] = []
    repeats = 0
    warnings: list[RowError] = []
    for pid, row in rows:
        key = row.purchase_key(pid)
        if key in stored or (seen is not None and key in seen):
            repeats += 1
        elif key in first:
            repeats += 1
            message = _("Same purchase as line %(line)d; imported once.") % {"line": first[key]}
            warnings.append(RowError(row.line, "reference" if row.reference else "", message))
        else:
            first[key] = row.line
            fresh.append((pid, row))
    if seen is not None:
        seen.update(first)
    return fresh, repeats, warnings


def _prep(model: type[Model], name: str) -> Callable[[Any], Any]:
    """``value`` of ``model.name`` as the database takes it (dates, times and decimals)."""
    model_field = next(f for f in model._meta.concrete_fields if f.name == name)
    return lambda value: None if value is None else model_field.get_db_prep_save(value, connection)


class Rules:
    """The business's follow-up delays and zone, read once per run."""

    def __init__(self, zone: dt.tzinfo) -> None:
        self.rules = commerce_settings()
        self.zone = zone

    def followup(self, row: PosRow) -> dt.datetime | None:
        return self.rules.followup_due(
            kind=row.kind,
            channel=row.channel,
            occurred_at=row.occurred_at,
            check_out=row.check_out,
            zone=self.zone,
        )


def _create_people(actor: User | None, detail: str, new: dict[int, PosRow], out: Written) -> None:
    """The chunk's new people (source "imported"), with their loyalty numbers."""
    slots = sorted(new, reverse=True)  # -1, -2 …: the order rows met them
    rows = [new[slot] for slot in slots]
    people = [
        PersonRow(
            given_name=row.given_name,
            family_name=row.family_name,
            emails=[row.email] if row.email else [],
            phones=[row.phone] if row.phone else [],
            source=FactSource.IMPORTED,
            source_detail=detail,
        )
        for row in rows
    ]
    ids: list[int] = []
    person_bulk_create(actor=actor, rows=people, batch_size=len(people), created_ids=ids)
    cards = [(pid, r.loyalty) for pid, r in zip(ids, rows, strict=True) if r.loyalty]
    LoyaltyNumber.objects.bulk_create([LoyaltyNumber(person_id=p, number=n) for p, n in cards])
    out.slots.update(zip(slots, ids, strict=True))
    out.people += len(ids)


def _insert(
    actor: User | None, detail: str, rows: list[tuple[int, PosRow]], rules: Rules
) -> list[int]:
    """The timeline entries and the purchases of ``rows`` (people already stored)."""
    interaction_ids = allocate_ids(Interaction, len(rows))
    purchase_ids = allocate_ids(Purchase, len(rows))
    actor_id = actor.pk if actor is not None else None
    moment, day = _prep(Purchase, "occurred_at"), _prep(Purchase, "check_in")
    money = _prep(Purchase, "amount")
    touches, purchases = [], []
    for iid, purchase_id, (pid, row) in zip(interaction_ids, purchase_ids, rows, strict=True):
        shown = Purchase(
            kind=row.kind,
            amount=row.amount,
            currency=row.currency,
            description=row.description,
            category=row.category,
            channel=row.channel,
        )
        direction = "inbound" if row.kind == Purchase.Kind.INQUIRY else "in_person"
        channel = str(shown.get_channel_display())
        when = moment(row.occurred_at)
        touches.append(
            (iid, pid, TIMELINE_KIND[Purchase.Kind(row.kind)], direction, "neutral", channel)
            + (when, purchase_summary(shown), "", actor_id, actor_id)
        )
        purchases.append(
            (purchase_id, pid, row.kind, when, day(row.check_in), day(row.check_out))
            + (money(row.amount), row.currency, row.description, row.category, row.channel)
            + ("pos", detail, row.reference, moment(rules.followup(row)), iid, actor_id)
        )
    insert_rows(Interaction, INTERACTION_FIELDS, touches)
    insert_rows(Purchase, PURCHASE_FIELDS, purchases)
    return purchase_ids


def _link_refunds(ids: list[int]) -> None:
    """Point each new refund with a receipt number at the person's purchase or stay with the
    same number (the sale it refunds), when there is one."""
    original = (
        Purchase.objects.filter(
            person_id=OuterRef("person_id"),
            reference=OuterRef("reference"),
            kind__in=(Purchase.Kind.PURCHASE, Purchase.Kind.STAY),
        )
        .order_by("id")
        .values("id")[:1]
    )
    refunds = Purchase.objects.filter(id__in=ids, kind=Purchase.Kind.REFUND, refund_of=None)
    refunds.exclude(reference="").update(refund_of=Subquery(original))


def _write(
    actor: User | None,
    detail: str,
    new: dict[int, PosRow],
    rows: list[tuple[int, PosRow]],
    rules: Rules,
    out: Written,
) -> None:
    wanted = {pid: new[pid] for pid, _row in rows if pid < 0 and pid not in out.slots}
    if wanted:
        _create_people(actor, detail, wanted, out)
    resolved = [(out.slots.get(pid, pid), row) for pid, row in rows]
    if resolved:
        inserted = _insert(actor, detail, resolved, rules)
        _link_refunds(inserted)
        out.ids += inserted
    out.purchases += len(resolved)
    out.touched.update(pid for pid, _row in resolved)


def _audit(actor: User | None, batch: ImportBatch, out: Written) -> None:
    if out.ids:
        audit_record(
            actor=actor,
            action="purchase.import",
            target=batch,
            changes={
                "batch": batch.pk,
                "purchases": out.purchases,
                "ids": [min(out.ids), max(out.ids)],
                "people_created": out.people,
            },
        )


def write_chunk(
    *,
    actor: User | None,
    batch: ImportBatch,
    detail: str,
    new: dict[int, PosRow],
    rows: list[tuple[int, PosRow]],
    rules: Rules,
) -> Written:
    """Write the chunk in one short transaction; if the database refuses a row there, write
    it row by row so that only that row is reported and nothing of it is stored."""
    out = Written()
    try:
        with transaction.atomic():
            _write(actor, detail, new, rows, rules, out)
            _audit(actor, batch, out)
        return out
    except (Invalid, DatabaseError):
        pass
    out = Written()
    with transaction.atomic():
        for pid, row in rows:
            part = Written(slots=dict(out.slots))
            try:
                with transaction.atomic():
                    _write(actor, detail, new, [(pid, row)], rules, part)
            except (Invalid, DatabaseError) as exc:
                out.errors.append(_row_error(row, exc))
                continue
            out.slots, out.people = part.slots, out.people + part.people
            out.purchases += part.purchases
            out.ids += part.ids
            out.touched |= part.touched
        _audit(actor, batch, out)
    return out


def _row_error(row: PosRow, exc: Exception) -> RowError:
    if isinstance(exc, Invalid) and exc.fields:
        column, messages = next(iter(exc.fields.items()))
        return RowError(row.line, column, messages[0])
    return RowError(row.line, "", str(exc))
