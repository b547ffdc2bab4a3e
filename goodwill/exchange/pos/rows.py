"""Check one POS record into a PosRow (a purchase, stay, refund or inquiry of someone to find)
or a RowError naming its line and column. The same rules as logging one by hand
(``purchase_log``): amounts as people write them, no negative amount except on a refund row
(stored positive), check-out not before check-in, nothing in the future, text that fits.
Pure: no database access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from goodwill.commerce.models import Purchase
from goodwill.commerce.money import NEGATIVE, parse_amount
from goodwill.commerce.services.loyalty import MAX_LENGTH as LOYALTY_MAX
from goodwill.commerce.services.loyalty import loyalty_key
from goodwill.core.errors import Invalid
from goodwill.exchange.parse.records import RowError
from goodwill.exchange.pos.reader import PosRecord
from goodwill.exchange.pos.when import NOON, parse_day, parse_time, time_part
from goodwill.exchange.suppression import addresses_in
from goodwill.people.normalize import fold, normalise_email, normalise_phone
from goodwill.people.services.person_input import MAX_LENGTHS

Kind = Purchase.Kind
KINDS = {
    **dict.fromkeys(("", "sale", "sales", "purchase", "order", "payment", "paid"), Kind.PURCHASE),
    **dict.fromkeys(("refund", "refunded", "return", "returned", "credit"), Kind.REFUND),
    **dict.fromkeys(("stay", "booking", "reservation", "accommodation"), Kind.STAY),
    **dict.fromkeys(("inquiry", "enquiry", "quote", "request"), Kind.INQUIRY),
}
CHANNELS = {
    **dict.fromkeys(("instore", "store", "shop", "pos", "till", "counter"), "in_store"),
    **dict.fromkeys(("online", "web", "website", "ecommerce", "internet", "app"), "online"),
    **dict.fromkeys(("phone", "telephone", "call"), "phone"),
    **dict.fromkeys(("walkin",), "walk_in"),
}
LIMITS = {"description": 300, "category": 100, "reference": 100}


@dataclass(slots=True)
class PosRow:
    """One checked row: the purchase to store and how to find (or create) its person."""

    line: int
    kind: str
    occurred_at: dt.datetime
    check_in: dt.date | None = None
    check_out: dt.date | None = None
    amount: Decimal | None = None
    currency: str = ""
    description: str = ""
    category: str = ""
    channel: str = "in_store"
    reference: str = ""
    email: str = ""
    # The address in an email value that did not normalise (``addresses_in``): only to keep an
    # erased person's row out.
    unread_email: str = ""
    phone: str = ""
    loyalty: str = ""
    given_name: str = ""
    family_name: str = ""
    warnings: list[RowError] = field(default_factory=list)

    @property
    def any_email(self) -> str:
        """The email, else the address in the one that did not read ("" without either)."""
        return self.email or self.unread_email

    @property
    def name_key(self) -> str:
        """The person's ``sort_key`` to look for ("" without a name)."""
        return fold(f"{self.given_name} {self.family_name}")[:310]

    def purchase_key(self, person_id: int) -> tuple[object, ...]:
        """What makes it the same purchase again: its receipt number when it has one, else its
        moment, amount and description."""
        if self.reference:
            return (person_id, self.kind, self.reference)
        return (person_id, self.kind, self.occurred_at, self.amount, self.description)


@dataclass(frozen=True)
class Context:
    """What every row of a run is checked against."""

    region: str
    currency: str
    day_first: bool
    zone: dt.tzinfo
    now: dt.datetime


class _Refused(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def pos_row(record: PosRecord, ctx: Context) -> PosRow | RowError:
    """The checked row of ``record``, or why it cannot be imported (naming its column)."""
    try:
        return _check(record, ctx)
    except _Refused as exc:
        return RowError(record.line, exc.column, exc.message)


def _check(record: PosRecord, ctx: Context) -> PosRow:
    kind = _kind(record)
    amount, currency = _amount(record, kind, ctx)
    check_in, check_out = _stay_dates(record, ctx)
    if kind == Kind.PURCHASE and check_in is not None:
        kind = Kind.STAY  # a booking export without a type column
    row = PosRow(
        line=record.line,
        kind=kind,
        occurred_at=_moment(record, ctx, check_in),
        check_in=check_in if kind == Kind.STAY else None,
        check_out=check_out if kind == Kind.STAY else None,
        amount=amount,
        currency=currency,
        description=_text(record, "description"),
        category=_text(record, "category"),
        reference=_text(record, "reference"),
    )
    row.channel = _channel(record, row)
    _amount_fits_kind(record, row)
    _customer(record, row, ctx)
    return row


def _kind(record: PosRecord) -> str:
    value = record.value("kind")
    kind = KINDS.get(fold(value).replace(" ", "").replace("-", ""))
    if kind is None:
        raise _Refused(
            record.column("kind"),
            _("Unknown type “%(value)s”; use sale, refund, return, stay or inquiry.")
            % {"value": value[:40]},
        )
    return str(kind)


def _amount(record: PosRecord, kind: str, ctx: Context) -> tuple[Decimal | None, str]:
    """The amount (a refund's negative one made positive) and its currency."""
    value, column = record.value("amount"), record.column("amount")
    negative = bool(value) and NEGATIVE.search(value) is not None
    if negative and kind != Kind.REFUND:
        raise _Refused(column, _("A negative amount: use a refund row."))
    if negative:
        value = value.strip().strip("()").lstrip("-−–").rstrip("-−").strip()
    try:
        amount, currency = parse_amount(
            value, currency=record.value("currency"), default_currency=ctx.currency
        )
    except Invalid as exc:
        name = next(iter(exc.fields), "amount")
        raise _Refused(record.column(name), exc.fields[name][0]) from None
    return amount, currency


def _stay_dates(record: PosRecord, ctx: Context) -> tuple[dt.date | None, dt.date | None]:
    days: list[dt.date | None] = []
    for name in ("check_in", "check_out"):
        value = record.value(name)
        try:
            days.append(parse_day(value, day_first=ctx.day_first) if value else None)
        except ValueError as exc:
            raise _Refused(record.column(name), str(exc)) from None
    check_in, check_out = days
    if (check_in is None) != (check_out is None):
        name = "check_out" if check_out is None else "check_in"
        raise _Refused(record.column(name), _("A stay needs its check-in and check-out dates."))
    if check_in is not None and check_out is not None and check_out < check_in:
        raise _Refused(record.column("check_out"), _("Check-out is before check-in."))
    return check_in, check_out


def _moment(record: PosRecord, ctx: Context, check_in: dt.date | None) -> dt.datetime:
    value, column = record.value("date"), record.column("date")
    if not value and check_in is not None:
        return dt.datetime.combine(check_in, NOON, tzinfo=ctx.zone)
    if not value:
        raise _Refused(column, _("The row has no date."))
    try:
        day = parse_day(value, day_first=ctx.day_first)
    except ValueError as exc:
        raise _Refused(column, str(exc)) from None
    clock = record.value("time") or time_part(value)
    if not clock:
        return dt.datetime.combine(day, NOON, tzinfo=ctx.zone)
    try:
        at, zone = parse_time(clock)
    except ValueError as exc:
        raise _Refused(
            record.column("time") if record.value("time") else column, str(exc)
        ) from None
    when = dt.datetime.combine(day, at, tzinfo=zone or ctx.zone)
    if when > ctx.now + dt.timedelta(days=1):
        raise _Refused(column, _("This is in the future."))
    return when


def _text(record: PosRecord, name: str) -> str:
    value = record.value(name)
    if len(value) > LIMITS[name]:
        message = _("At most %(n)d characters.") % {"n": LIMITS[name]}
        raise _Refused(record.column(name), message)
    return value


def _channel(record: PosRecord, row: PosRow) -> str:
    value = record.value("channel")
    channel = CHANNELS.get(fold(value).replace(" ", "").replace("-", "").replace("_", ""))
    if value and channel is None:
        message = _("Unknown channel “%(value)s”; imported as in store.") % {"value": value[:40]}
        row.warnings.append(RowError(row.line, record.column("channel"), message))
    return channel or "in_store"


def _amount_fits_kind(record: PosRecord, row: PosRow) -> None:
    column = record.column("amount")
    if row.kind == Kind.REFUND and row.amount is None:
        raise _Refused(column, _("A refund needs its amount."))
    if row.kind == Kind.INQUIRY and row.amount is not None:
        raise _Refused(column, _("An inquiry has no amount."))


def _customer(record: PosRecord, row: PosRow, ctx: Context) -> None:
    """The keys to find the person by; an email or phone that does not read is a warning."""
    if email := record.value("email"):
        try:
            row.email = normalise_email(email)
        except ValueError:
            row.unread_email = next(iter(addresses_in(email)), "")
            message = _("%(value)s is not a valid email address; not used to find the person.")
            row.warnings.append(
                RowError(row.line, record.column("email"), message % {"value": email})
            )
    if phone := record.value("phone"):
        try:
            row.phone = normalise_phone(phone, ctx.region)
        except ValueError:
            message = _("%(value)s is not a valid phone number; not used to find the person.")
            row.warnings.append(
                RowError(row.line, record.column("phone"), message % {"value": phone})
            )
    row.loyalty = loyalty_key(record.value("loyalty"))
    if len(row.loyalty) > LOYALTY_MAX:
        raise _Refused(
            record.column("loyalty"), _("At most %(n)d characters.") % {"n": LOYALTY_MAX}
        )
    _name(record, row)
    if not (row.email or row.phone or row.loyalty or row.name_key):
        raise _Refused(
            "customer",
            _("The row names no customer: give an email, phone, loyalty number or name."),
        )


def _name(record: PosRecord, row: PosRow) -> None:
    given, family = record.value("given_name"), record.value("family_name")
    if not (given or family) and (full := record.value("full_name")):
        given, _sep, family = " ".join(full.split()).rpartition(" ")
        given, family = (given, family) if given else (family, "")
    for name, value in (("given_name", given), ("family_name", family)):
        limit = MAX_LENGTHS[name] or 0
        if len(value) > limit:
            column = record.column(name if name in record.cells else "full_name")
            raise _Refused(column, _("At most %(n)d characters.") % {"n": limit})
    row.given_name, row.family_name = given, family
