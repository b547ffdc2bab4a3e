"""The bulk path for many people at once (imports, synthetic benchmarks).

It keeps the invariants of ``person_create`` — the same validation and normalisation, the same
derived keys as ``person_reindex`` (through ``derived_values``), the same
``Interest.people_count``, the search index kept by the same triggers — but writes each batch as
plain rows (``bulk_sql.insert_rows``) in one short transaction and records one audit entry per
batch instead of one per row. It does not look for duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.core.errors import Invalid
from goodwill.people.models import (
    FactSource,
    Interest,
    Membership,
    Organisation,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
)
from goodwill.people.normalize import fold, interest_display, interest_key
from goodwill.people.services.bulk_sql import allocate_ids, db_value, insert_rows
from goodwill.people.services.person_input import (
    NAME_AND_ADDRESS,
    clean_emails,
    clean_phones,
    clean_roles,
    clean_scalars,
    clean_source,
)
from goodwill.people.services.persons import derived_values

DEFAULT_BATCH_SIZE = 2000
SCALARS = (*NAME_AND_ADDRESS, "language", "time_zone", "notes")
DERIVED = ("primary_email", "primary_phone", "sort_key", "family_key", "search_doc")
PERSON_FIELDS = ("id", *SCALARS, "source", "source_detail", "created_by_id", *DERIVED)


@dataclass  # not frozen: a frozen dataclass took 3.5 µs to build instead of 1.3 µs
class PersonRow:
    """One person to create: names, contacts (first = primary) and their labels by normalised
    value, roles, organisations, interests (likes) and dislikes. Read, never changed."""

    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    language: str = ""
    time_zone: str = ""
    notes: str = ""
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    roles: Sequence[str] = ()
    organisations: Sequence[str] = ()
    job_title: str = ""  # at every organisation, unless ``job_titles`` gives its own
    job_titles: Sequence[str] = ()  # the title at each organisation, in their order
    interests: Sequence[str] = ()
    dislikes: Sequence[str] = ()  # never also among ``interests``
    source: str = FactSource.IMPORTED
    # Where exactly (an import's file and batch): the person's source detail, their interests' note.
    source_detail: str = ""
    email_labels: Mapping[str, str] = field(default_factory=dict)
    phone_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Prepared:
    values: dict[str, str]
    source: str
    emails: list[str]
    phones: list[str]
    roles: list[str]
    org_keys: list[str]
    interest_keys: list[str]
    dislike_keys: list[str]
    job_titles: list[str]  # one per organisation key
    row: PersonRow


def _batches(rows: Iterable[PersonRow], size: int) -> Iterator[list[PersonRow]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _prepare(row: PersonRow, region: str, *, checked: bool = False) -> _Prepared:
    """Validate and normalise one row exactly as ``person_create`` would; ``checked``: its
    names, address, emails, phones and roles were already cleaned by the same functions (an
    import's rows, by ``import_row``), and are taken as they are."""
    values = {name: getattr(row, name) for name in SCALARS}
    values = {k: v.strip() for k, v in values.items()} if checked else clean_scalars(values)
    source = clean_source(row.source)
    if not values["given_name"] and not values["family_name"]:
        raise Invalid.field("given_name", _("Enter a given or family name."))
    titles: dict[str, str] = {}  # organisation key -> job title, the first of each
    for i, name in enumerate(row.organisations):
        if (key := fold(name)) and key not in titles:
            own = row.job_titles[i] if i < len(row.job_titles) else row.job_title
            titles[key] = own.strip()[:150]
    interest_keys = [interest_key(name) for name in row.interests]
    dislike_keys = [interest_key(name) for name in row.dislikes]
    if "" in interest_keys or "" in dislike_keys:
        raise Invalid.field("interests", _("Enter an interest."))
    if set(interest_keys) & set(dislike_keys):
        raise Invalid.field("interests", _("An interest cannot be both liked and disliked."))
    return _Prepared(
        values=values,
        source=source,
        emails=list(row.emails) if checked else clean_emails(row.emails),
        phones=list(row.phones) if checked else clean_phones(row.phones, region),
        roles=list(row.roles) if checked else clean_roles(row.roles),
        org_keys=list(titles),
        interest_keys=list(dict.fromkeys(interest_keys)),
        dislike_keys=list(dict.fromkeys(dislike_keys)),
        job_titles=list(titles.values()),
        row=row,
    )


def _prepare_batch(
    batch: list[PersonRow], offset: int, region: str, *, checked: bool
) -> list[_Prepared]:
    prepared = []
    for index, row in enumerate(batch, start=offset):
        try:
            prepared.append(_prepare(row, region, checked=checked))
        except Invalid as exc:
            raise Invalid(f"row {index}: {exc.message}", fields=exc.fields) from exc
    return prepared


def _organisations(batch: list[PersonRow], cache: dict[str, tuple[int, str]]) -> int:
    """Find or create (by folded name) every organisation the batch names; fill ``cache``
    (key → id and name: plain values, as whole rows cost more to read than the query)."""
    names = {fold(n): n.strip()[:200] for row in batch for n in row.organisations if fold(n)}
    missing = [key for key in names if key not in cache]
    if not missing:
        return 0
    stored = Organisation.objects.filter(name_key__in=missing).order_by("-id")
    cache.update(
        (key, (pk, name)) for key, pk, name in stored.values_list("name_key", "id", "name")
    )
    new = [Organisation(name=names[k], name_key=k) for k in missing if k not in cache]
    for org in Organisation.objects.bulk_create(new):
        cache[org.name_key] = (org.pk, org.name)
    return len(new)


def _interests(batch: list[PersonRow], cache: dict[str, int]) -> None:
    """Find or create every interest the batch names (in its first spelling); fill ``cache``
    (key → id)."""
    names: dict[str, str] = {}
    for row in batch:
        for name in (*row.interests, *row.dislikes):
            names.setdefault(interest_key(name), name)
    missing = [key for key in names if key not in cache]
    if not missing:
        return
    Interest.objects.bulk_create(
        [Interest(key=k, name=interest_display(names[k])) for k in missing], ignore_conflicts=True
    )
    cache.update(Interest.objects.filter(key__in=missing).values_list("key", "id"))


def _people(
    prepared: list[_Prepared],
    ids: list[int],
    orgs: dict[str, tuple[int, str]],
    actor_id: int | None,
) -> list[tuple[Any, ...]]:
    """The person rows in ``PERSON_FIELDS`` order, derived keys computed as person_reindex."""
    out = []
    for pid, p in zip(ids, prepared, strict=True):
        v = p.values
        derived = derived_values(
            given=v["given_name"],
            family=v["family_name"],
            preferred=v["preferred_name"],
            emails=p.emails,
            phones=p.phones,
            organisations=[orgs[k][1] for k in p.org_keys],
        )
        out.append(
            (
                pid,
                *(v[name] for name in SCALARS),
                p.source,
                p.row.source_detail[:300],
                actor_id,
                *(derived[name] for name in DERIVED),
            )
        )
    return out


def _contacts(prepared: list[_Prepared], ids: list[int]) -> None:
    """Emails and phones (the first one primary), each with its label if the row gave one, and
    with the row's source and source detail."""
    emails, phones = [], []
    for pid, p in zip(ids, prepared, strict=True):
        origin = (p.source, p.row.source_detail[:300])
        labels = p.row.email_labels
        emails += [
            (pid, e, labels.get(e, "")[:40], i == 0, *origin) for i, e in enumerate(p.emails)
        ]
        labels = p.row.phone_labels
        phones += [
            (pid, n, labels.get(n, "")[:40], i == 0, *origin) for i, n in enumerate(p.phones)
        ]
    fields = ("label", "is_primary", "source", "source_detail")
    insert_rows(PersonEmail, ("person_id", "email", *fields), emails)
    insert_rows(PersonPhone, ("person_id", "e164", *fields), phones)


def _links(
    prepared: list[_Prepared],
    ids: list[int],
    orgs: dict[str, tuple[int, str]],
    interests: dict[str, int],
    actor_id: int | None,
) -> dict[int, int]:
    """Roles, memberships and interests; returns how many new holders each interest has."""
    noted_at = db_value(PersonInterest, "noted_at", timezone.now())
    roles, members, likes = [], [], []
    holders: dict[int, int] = {}
    for pid, p in zip(ids, prepared, strict=True):
        roles += [(pid, r) for r in p.roles]
        note = p.row.source_detail[:500]
        members += [
            (pid, orgs[k][0], title, p.source, note[:300])
            for k, title in zip(p.org_keys, p.job_titles, strict=True)
        ]
        for key in p.interest_keys:
            iid = interests[key]
            likes.append((pid, iid, "likes", FactSource.IMPORTED.value, actor_id, noted_at, note))
            holders[iid] = holders.get(iid, 0) + 1
        for key in p.dislike_keys:  # people_count counts likes only
            dislike = (pid, interests[key], "dislikes", FactSource.IMPORTED.value)
            likes.append((*dislike, actor_id, noted_at, note))
    insert_rows(PersonRole, ("person_id", "role"), roles)
    member_fields = ("person_id", "organisation_id", "job_title", "source", "source_detail")
    insert_rows(Membership, member_fields, members)
    fields = ("person_id", "interest_id", "attitude", "source", "noted_by_id", "noted_at", "note")
    insert_rows(PersonInterest, fields, likes)
    return holders


def _write_batch(
    batch: list[PersonRow],
    prepared: list[_Prepared],
    orgs: dict[str, tuple[int, str]],
    interests: dict[str, int],
    actor: User | None,
) -> list[int]:
    """One short transaction: organisations, interests, people and all they hold, one audit."""
    actor_id = actor.pk if actor is not None else None
    with transaction.atomic():
        new_orgs = _organisations(batch, orgs)
        _interests(batch, interests)
        ids = allocate_ids(Person, len(prepared))
        insert_rows(Person, PERSON_FIELDS, _people(prepared, ids, orgs, actor_id))
        _contacts(prepared, ids)
        holders = _links(prepared, ids, orgs, interests, actor_id)
        for interest_id, n in holders.items():
            Interest.objects.filter(pk=interest_id).update(people_count=F("people_count") + n)
        first = prepared[0].values
        audit_record(
            actor=actor,
            action="person.bulk_create",
            target=Person(
                pk=ids[0], given_name=first["given_name"], family_name=first["family_name"]
            ),
            changes={
                "people": [None, len(prepared)],
                "ids": [ids[0], ids[-1]],
                "organisations": [None, new_orgs],
            },
        )
    return ids


def person_bulk_create(
    *,
    actor: User | None,
    rows: Iterable[PersonRow],
    batch_size: int = DEFAULT_BATCH_SIZE,
    created_ids: list[int] | None = None,
    checked: bool = False,
) -> int:
    """Create many people in batches (managers); returns how many were created.

    Each batch is validated before anything of it is written; an invalid row raises Invalid
    naming the row and field, and batches before it stay written. ``created_ids``, when given,
    receives the new people's ids in row order. ``checked``: the rows' names, address, emails,
    phones and roles are already clean (``_prepare``), so they are not cleaned twice.
    """
    require_role(actor, User.Role.MANAGER)
    region = business_get().phone_region
    orgs: dict[str, tuple[int, str]] = {}
    interests: dict[str, int] = {}
    created = 0
    for batch in _batches(rows, max(1, batch_size)):
        prepared = _prepare_batch(batch, created, region, checked=checked)
        ids = _write_batch(batch, prepared, orgs, interests, actor)
        if created_ids is not None:
            created_ids.extend(ids)
        created += len(prepared)
    return created
