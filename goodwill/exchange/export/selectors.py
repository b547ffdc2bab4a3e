"""Reads for exports: who may export, which people, and their facts in bulk, one chunk at a time.

Nothing here loads all people: people come in keyset chunks (by id, or in the people list's own
order when filtered or searched: ``narrowed.py``) and each chunk's facts are read with one query
per kind of fact, as plain tuples, so the number of queries grows with the chunks and never with
the people. The whole list can also be cut into id ranges of a chunk each (``export_bounds``),
read one at a time by ``export_range``: what lets the command line render an export in several
processes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.gc import gc_paused
from goodwill.exchange.export.narrowed import narrowed_ids
from goodwill.exchange.export.ties import tie_rows
from goodwill.occasions.models import Occasion
from goodwill.people.models import (
    Membership,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
    PersonTag,
)
from goodwill.people.services.person_input import SCALAR_FIELDS

CHUNK = 5000
PERSON_FIELDS = (
    "id",
    *SCALAR_FIELDS,  # names, address, language, time zone, notes
    "source",
    "household_id",
    # Only the full formats (vCard, JSON) read these: at a million rows, parsing times is costly.
    "archived_at",
    "created_at",
    "updated_at",
)
LEAN_FIELDS = PERSON_FIELDS[:14]
Row = tuple[Any, ...]
Bounds = tuple[int, int | None]  # ids after the first, up to and including the second (None: on)


@dataclass(frozen=True)
class ExportFilters:
    """Which people: the people list's search text and filters; ``archived``: False for those
    not archived (the list), True for the archived only, None for everyone."""

    q: str = ""
    role: str = ""
    interest: str = ""
    organisation_id: int | None = None
    archived: bool | None = False
    stage: str = ""
    tag: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set (for the audit entry)."""
        found = {k: v for k, v in asdict(self).items() if v}
        return found | ({"archived": "included"} if self.archived is None else {})

    @property
    def whole_list(self) -> bool:
        """Whether this is everyone (or every archived person): no search, no filter."""
        narrowed = self.role or self.interest or self.organisation_id or self.stage or self.tag
        return not (self.q.strip() or narrowed)


@dataclass
class Chunk:
    """People (tuples in ``PERSON_FIELDS`` order) and their facts: each fact's rows by person id,
    every row starting with that id. Without ``full``, only the columns a CSV shows are read."""

    people: list[Row]
    # (person id, email, label[, is_primary, source, source detail]) and the same for e164
    emails: dict[int, list[Row]] = field(default_factory=dict)
    phones: dict[int, list[Row]] = field(default_factory=dict)
    roles: dict[int, list[Row]] = field(default_factory=dict)  # (person id, role)
    # (person id, name, attitude[, source, note, noted_at])
    interests: dict[int, list[Row]] = field(default_factory=dict)
    # (person id, name[, source, source detail, added at]), by name
    tags: dict[int, list[Row]] = field(default_factory=dict)
    # (person id, organisation id, name, job title[, source, source detail])
    organisations: dict[int, list[Row]] = field(default_factory=dict)
    # (person id, kind, label, year, month, day, source, note, lead days); by date only with
    # ``full``
    occasions: dict[int, list[Row]] = field(default_factory=dict)
    # (spouse id, year, month, day, note, lead days)
    weddings: dict[int, list[Row]] = field(default_factory=dict)
    # (person id, the other's id, what the other is to them as a vCard RELATED type), only with
    # ``full``, and only of others the export holds too
    related: dict[int, list[Row]] = field(default_factory=dict)
    # (person id, what the other is to them, custom label, the other's id, given and family
    # names, since, notes): every relationship, whoever the other is; only with ``full``
    ties: dict[int, list[Row]] = field(default_factory=dict)


def export_require(actor: User | None) -> None:
    """Raise Forbidden unless ``actor`` may export people: managers, owners, the command line."""
    require_role(actor, User.Role.MANAGER)


def _group(rows: Iterable[Row]) -> dict[int, list[Row]]:
    """``{person id: [its rows]}``, each person's rows in the order read (rows keep the id
    first); ``setdefault`` beats ``groupby`` here, where most people have one row of a kind."""
    out: dict[int, list[Row]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row)
    return out


def _fetch(qs: QuerySet[Any, Any], raw: bool) -> list[Row]:
    """The rows of a ``values_list`` query; ``raw`` skips Django's per-value conversions (for
    columns that need none: text and numbers), which cost more than the query itself."""
    if not raw:
        return list(qs)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _people_after(
    archived: bool | None,
    fields: tuple[str, ...],
    after: int,
    *,
    up_to: int | None = None,
    limit: int | None = None,
) -> list[Row]:
    """People (or archived people, or everyone) with an id above ``after`` (up to ``up_to``),
    by id."""
    qs = Person.objects.filter(id__gt=after)
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    if up_to is not None:
        qs = qs.filter(id__lte=up_to)
    rows = qs.order_by("id").values_list(*fields)
    return _fetch(rows[:limit] if limit else rows, fields == LEAN_FIELDS)


def _all_people(archived: bool | None, size: int, fields: tuple[str, ...]) -> Iterator[list[Row]]:
    """Every person (or every archived one) by id, ``size`` at a time."""
    last = 0
    while rows := _people_after(archived, fields, last, limit=size):
        yield rows
        last = rows[-1][0]


def _rows_for(ids: list[int], fields: tuple[str, ...]) -> list[Row]:
    """The rows of these people, in the order of ``ids`` (someone gone meanwhile is left out)."""
    qs = Person.objects.filter(id__in=_id_list(ids)).values_list(*fields)
    by_id = {r[0]: r for r in _fetch(qs, fields == LEAN_FIELDS)}
    return [by_id[i] for i in ids if i in by_id]


def _filtered_people(
    actor: User | None, filters: ExportFilters, size: int, fields: tuple[str, ...]
) -> Iterator[list[Row]]:
    """The people the people list shows for these filters, in its order, ``size`` at a time."""
    ids: list[int] = []
    for found in narrowed_ids(actor, filters, size):
        ids += found
        while len(ids) >= size:
            yield _rows_for(ids[:size], fields)
            ids = ids[size:]
    if ids:
        yield _rows_for(ids, fields)


def _id_list(ids: list[int]) -> RawSQL:
    """``ids`` as one parameter the database unpacks (a JSON array on SQLite, an array on
    PostgreSQL): Django would prepare and bind each of 5,000 ids, for each kind of fact, at a
    cost above the query's own."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def _of_people(ids: list[int], path: str = "person_id") -> Q:
    """The chunk's people: an id range when they are (nearly) contiguous, else the id list.

    A range is far cheaper to send and plan than 2,000 parameters; the few people it adds
    (archived ones) are read and never looked up. A list (a search's chunk, in name order) is
    sent as one parameter.
    """
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return Q(**{f"{path}__gte": low, f"{path}__lte": high})
    return Q(**{f"{path}__in": _id_list(ids)})


def _facts(
    chunk: Chunk, full: bool, archived: bool | None = False, among: set[int] | None = None
) -> Chunk:
    """Fill in the chunk's facts: one query per kind of fact, whatever the chunk's size.

    Without ``full`` no converted column (a flag, a time) is read, so rows come back raw, and
    no relationship. Relationships are those with the people the export holds: the archived,
    the others or (None) everyone, as ``archived`` says; or, given ``among``, those people.
    """
    ids = [p[0] for p in chunk.people]
    mine, raw = _of_people(ids), not full
    primary = ["is_primary", "source", "source_detail"] if full else []
    origin = ["source", "source_detail"] if full else []
    chunk.emails = _group(
        _fetch(
            PersonEmail.objects.filter(mine)
            .order_by("person_id", "-is_primary", "id")
            .values_list("person_id", "email", "label", *primary),
            raw,
        )
    )
    chunk.phones = _group(
        _fetch(
            PersonPhone.objects.filter(mine)
            .order_by("person_id", "-is_primary", "id")
            .values_list("person_id", "e164", "label", *primary),
            raw,
        )
    )
    roles = PersonRole.objects.filter(mine).order_by("person_id", "role")
    chunk.roles = _group(_fetch(roles.values_list("person_id", "role"), raw))
    interest_fields = ["person_id", "interest__name", "attitude"]
    interest_fields += ["source", "note", "noted_at"] if full else []
    chunk.interests = _group(
        _fetch(
            PersonInterest.objects.filter(mine)
            .order_by("person_id", "attitude", "interest__key")
            .values_list(*interest_fields),
            raw,
        )
    )
    tag_fields = ["person_id", "tag__name", *origin, *(["added_at"] if full else [])]
    tags = PersonTag.objects.filter(mine).order_by("person_id", "tag__key")
    chunk.tags = _group(_fetch(tags.values_list(*tag_fields), raw))
    chunk.organisations = _group(
        _fetch(
            Membership.objects.filter(mine)
            .order_by("person_id", "id")
            .values_list(
                "person_id", "organisation_id", "organisation__name", "job_title", *origin
            ),
            raw,
        )
    )
    occasions = Occasion.objects.filter(mine).order_by("person_id", "kind", "month", "day", "id")
    if not full:  # by person (the index gives that order); the CSV sorts each one's dates
        occasions = occasions.order_by("person_id")
    chunk.occasions = _group(
        _fetch(
            occasions.values_list(
                "person_id", "kind", "label", "year", "month", "day", "source", "note", "lead_days"
            ),
            raw,
        )
    )
    chunk.weddings = _weddings(ids)
    if full:
        mine = _of_people(ids, "from_person_id") | _of_people(ids, "to_person_id")
        chunk.related, chunk.ties = tie_rows(ids, mine, archived, among)
    return chunk


def _weddings(ids: list[int]) -> dict[int, list[Row]]:
    """Each person's wedding anniversaries (an occasion of the couple), with the spouse's id."""
    out: dict[int, list[Row]] = {}
    wanted = set(ids)
    qs = Occasion.objects.filter(kind=Occasion.Kind.WEDDING).order_by("id")
    for side in ("from_person_id", "to_person_id"):
        rows = qs.filter(_of_people(ids, f"relationship__{side}")).values_list(
            "relationship__from_person_id",
            "relationship__to_person_id",
            "year",
            "month",
            "day",
            "note",
            "lead_days",
        )
        for a, b, *date in rows:
            me, other = (a, b) if side == "from_person_id" else (b, a)
            if me in wanted:
                out.setdefault(me, []).append((other, *date))
    return out


def export_chunks(
    *,
    actor: User | None,
    filters: ExportFilters,
    size: int = CHUNK,
    full: bool = True,
) -> Iterator[Chunk]:
    """The people to export and their facts, chunk by chunk (call ``export_require`` first).

    ``full=False`` leaves out what a CSV does not show: the people's and interests' times.
    """
    export_require(actor)
    fields = PERSON_FIELDS if full else LEAN_FIELDS
    # A filtered export cannot know whom its later chunks hold: a person's relationships are
    # those with the people exported so far (a tie is then on the later one's card only).
    among: set[int] | None = None
    if filters.whole_list:
        source = _all_people(filters.archived, size, fields)
    else:
        source = _filtered_people(actor, filters, size, fields)
        among = set()
    people_chunks = iter(source)
    while True:
        with gc_paused():  # reading a chunk and its facts
            people = next(people_chunks, None)
            if people is None:
                return
            if among is not None and full:
                among.update(p[0] for p in people)
            chunk = _facts(Chunk(people=people), full, filters.archived, among)
        yield chunk


def export_bounds(*, archived: bool | None, size: int = CHUNK) -> list[Bounds]:
    """Ranges of ``size`` people each (the last may hold fewer, or none), in id order, for
    the people not archived, the archived ones or (None) everyone: one query, numbering the
    people in the database."""
    table = connection.ops.quote_name(Person._meta.db_table)
    which = {None: "", True: "WHERE archived_at IS NOT NULL", False: "WHERE archived_at IS NULL"}
    # The table name comes from the model and the condition from the strings above.
    sql = (
        f"SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM {table} "  # noqa: S608
        f"{which[archived]}) AS numbered WHERE n %% %s = 0 ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [size])
        ends: list[int] = [row[0] for row in cursor.fetchall()]
    return list(zip([0, *ends], [*ends, None], strict=True))


def export_range(bounds: Bounds, *, archived: bool | None, full: bool) -> Chunk:
    """The people of one range (as ``export_bounds``) and their facts, as a chunk."""
    after, up_to = bounds
    with gc_paused():
        people = _people_after(archived, PERSON_FIELDS if full else LEAN_FIELDS, after, up_to=up_to)
        return _facts(Chunk(people=people), full, archived) if people else Chunk(people=[])


def date_value(year: int | None, month: int, day: int, *, dashes: bool = True) -> str:
    """``YYYY-MM-DD`` / ``--MM-DD`` (or without dashes, ``YYYYMMDD`` / ``--MMDD``)."""
    sep = "-" if dashes else ""
    if year:
        return f"{year:04d}{sep}{month:02d}{sep}{day:02d}"
    return f"--{month:02d}{sep}{day:02d}"


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def who(user: User | None) -> str | None:
    """The staff member an exported fact names: their email, or None."""
    return user.email if user is not None else None
