"""The bulk path for many people at once (imports, synthetic benchmarks).

It keeps the invariants of ``person_create`` — the same validation and normalisation, the same
derived keys as ``person_reindex`` (through ``derived_fields``), the same ``Interest.people_count``
— but writes each batch with ``bulk_create`` in one short transaction and records one audit entry
per batch instead of one per row. It does not look for duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import F, Model
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
from goodwill.people.services.persons import (
    _check_name,
    _clean_scalars,
    clean_emails,
    clean_phones,
    clean_roles,
    clean_source,
    derived_fields,
)

DEFAULT_BATCH_SIZE = 2000


@dataclass(frozen=True)
class PersonRow:
    """One person to create: names, contacts (first = primary), roles, organisations, interests."""

    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    notes: str = ""
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    roles: Sequence[str] = ()
    organisations: Sequence[str] = ()
    job_title: str = ""
    interests: Sequence[str] = ()
    source: str = FactSource.IMPORTED


@dataclass
class _Prepared:
    person: Person
    emails: list[str]
    phones: list[str]
    roles: list[str]
    org_keys: list[str]
    interest_keys: list[str]
    job_title: str


def _batches(rows: Iterable[PersonRow], size: int) -> Iterator[list[PersonRow]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _prepare(row: PersonRow, region: str, actor: User | None) -> _Prepared:
    """Validate and normalise one row exactly as ``person_create`` would."""
    values = _clean_scalars(
        {
            "given_name": row.given_name,
            "family_name": row.family_name,
            "preferred_name": row.preferred_name,
            "street": row.street,
            "locality": row.locality,
            "region": row.region,
            "postal_code": row.postal_code,
            "country": row.country,
            "notes": row.notes,
        }
    )
    person = Person(**values, source=clean_source(row.source), created_by=actor)
    _check_name(person)
    org_keys = [fold(name) for name in row.organisations if fold(name)]
    interest_keys = [interest_key(name) for name in row.interests]
    if "" in interest_keys:
        raise Invalid.field("interests", _("Enter an interest."))
    return _Prepared(
        person=person,
        emails=clean_emails(row.emails),
        phones=clean_phones(row.phones, region),
        roles=clean_roles(row.roles),
        org_keys=list(dict.fromkeys(org_keys)),
        interest_keys=list(dict.fromkeys(interest_keys)),
        job_title=row.job_title.strip()[:150],
    )


def _prepare_batch(
    batch: list[PersonRow], offset: int, region: str, actor: User | None
) -> list[_Prepared]:
    prepared = []
    for index, row in enumerate(batch, start=offset):
        try:
            prepared.append(_prepare(row, region, actor))
        except Invalid as exc:
            raise Invalid(f"row {index}: {exc.message}", fields=exc.fields) from exc
    return prepared


def _organisations(batch: list[PersonRow], cache: dict[str, Organisation]) -> int:
    """Find or create (by folded name) every organisation the batch names; fill ``cache``."""
    names = {fold(n): n.strip()[:200] for row in batch for n in row.organisations if fold(n)}
    missing = [key for key in names if key not in cache]
    if not missing:
        return 0
    for org in Organisation.objects.filter(name_key__in=missing).order_by("id"):
        cache.setdefault(org.name_key, org)
    new = [Organisation(name=names[k], name_key=k) for k in missing if k not in cache]
    for org in Organisation.objects.bulk_create(new):
        cache[org.name_key] = org
    return len(new)


def _interests(batch: list[PersonRow], cache: dict[str, int]) -> None:
    """Find or create every interest the batch names; fill ``cache`` (key → id)."""
    names = {interest_key(n): n for row in batch for n in row.interests}
    missing = [key for key in names if key not in cache]
    if not missing:
        return
    Interest.objects.bulk_create(
        [Interest(key=k, name=interest_display(names[k])) for k in missing], ignore_conflicts=True
    )
    cache.update(Interest.objects.filter(key__in=missing).values_list("key", "id"))


def _children(
    prepared: list[_Prepared],
    orgs: dict[str, Organisation],
    interests: dict[str, int],
    actor: User | None,
) -> dict[type[Model], list[Any]]:
    now = timezone.now()
    rows: dict[type[Model], list[Any]] = {
        PersonEmail: [],
        PersonPhone: [],
        PersonRole: [],
        Membership: [],
        PersonInterest: [],
    }
    for p in prepared:
        pid = p.person.pk
        rows[PersonEmail] += [
            PersonEmail(person_id=pid, email=e, is_primary=i == 0) for i, e in enumerate(p.emails)
        ]
        rows[PersonPhone] += [
            PersonPhone(person_id=pid, e164=n, is_primary=i == 0) for i, n in enumerate(p.phones)
        ]
        rows[PersonRole] += [PersonRole(person_id=pid, role=r) for r in p.roles]
        rows[Membership] += [
            Membership(person_id=pid, organisation_id=orgs[k].pk, job_title=p.job_title)
            for k in p.org_keys
        ]
        rows[PersonInterest] += [
            PersonInterest(
                person_id=pid,
                interest_id=interests[k],
                attitude=PersonInterest.Attitude.LIKES,
                source=PersonInterest.Source.IMPORTED,
                noted_by=actor,
                noted_at=now,
            )
            for k in p.interest_keys
        ]
    return rows


def _write_batch(
    batch: list[PersonRow],
    prepared: list[_Prepared],
    orgs: dict[str, Organisation],
    interests: dict[str, int],
    actor: User | None,
) -> None:
    """One short transaction: organisations, interests, people and all they hold, one audit."""
    with transaction.atomic():
        new_orgs = _organisations(batch, orgs)
        _interests(batch, interests)
        for p in prepared:
            derived_fields(
                p.person,
                emails=p.emails,
                phones=p.phones,
                organisations=[orgs[k].name for k in p.org_keys],
            )
        Person.objects.bulk_create([p.person for p in prepared])
        for model, objs in _children(prepared, orgs, interests, actor).items():
            model._default_manager.bulk_create(objs)
        likes: dict[int, int] = {}
        for p in prepared:
            for key in p.interest_keys:
                likes[interests[key]] = likes.get(interests[key], 0) + 1
        for interest_id, n in likes.items():
            Interest.objects.filter(pk=interest_id).update(people_count=F("people_count") + n)
        first, last = prepared[0].person, prepared[-1].person
        audit_record(
            actor=actor,
            action="person.bulk_create",
            target=first,
            changes={
                "people": [None, len(prepared)],
                "ids": [first.pk, last.pk],
                "organisations": [None, new_orgs],
            },
        )


def person_bulk_create(
    *,
    actor: User | None,
    rows: Iterable[PersonRow],
    batch_size: int = DEFAULT_BATCH_SIZE,
    created_ids: list[int] | None = None,
) -> int:
    """Create many people in batches (managers); returns how many were created.

    Each batch is validated before anything of it is written; an invalid row raises Invalid
    naming the row and field, and batches before it stay written. ``created_ids``, when given,
    receives the new people's ids in row order.
    """
    require_role(actor, User.Role.MANAGER)
    region = business_get().phone_region
    orgs: dict[str, Organisation] = {}
    interests: dict[str, int] = {}
    created = 0
    for batch in _batches(rows, max(1, batch_size)):
        prepared = _prepare_batch(batch, created, region, actor)
        _write_batch(batch, prepared, orgs, interests, actor)
        if created_ids is not None:
            created_ids.extend(p.person.pk for p in prepared)
        created += len(prepared)
    return created
