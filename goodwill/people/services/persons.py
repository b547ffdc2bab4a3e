"""Writes to a Person: create, update, archive, restore, delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.people.models import (
    FactSource,
    Household,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
)
from goodwill.people.normalize import name_keys, search_document
from goodwill.people.selectors import person_find_duplicates
from goodwill.people.services.interests import interest_counts_refresh
from goodwill.people.services.person_input import (
    AUDITED_FIELDS,
    Texts,
    clean_emails,
    clean_phones,
    clean_roles,
    clean_scalars,
    clean_source,
)
from goodwill.people.services.tags import tag_counts_refresh


@dataclass
class PersonResult:
    """A created or updated person, and the people they may duplicate."""

    person: Person
    duplicates: list[Person] = field(default_factory=list)


def _check_name(person: Person) -> None:
    if not person.given_name and not person.family_name:
        raise Invalid.field("given_name", _("Enter a given or family name."))


def derived_values(
    *, given: str, family: str, preferred: str, emails: Texts, phones: Texts, organisations: Texts
) -> dict[str, str]:
    """The derived columns of a person (sort/family keys, primary contacts, search text) from
    its names and its emails, phones (primary first) and organisations' names (sequences)."""
    sort_key, family_key = name_keys(given, family)
    document = search_document(
        given=given,
        family=family,
        preferred=preferred,
        emails=list(emails),
        phones=list(phones),
        organisations=list(organisations),
    )
    return {
        "primary_email": emails[0] if emails else "",
        "primary_phone": phones[0] if phones else "",
        "sort_key": sort_key,
        "family_key": family_key,
        "search_doc": document,
    }


def derived_fields(
    person: Person, *, emails: list[str], phones: list[str], organisations: list[str]
) -> dict[str, str]:
    """The derived columns of ``person`` (sort/family keys, primary contacts, search text).

    No database access: ``emails``/``phones`` come in stored order (primary first); the values
    are also set on ``person``.
    """
    values = derived_values(
        given=person.given_name,
        family=person.family_name,
        preferred=person.preferred_name,
        emails=emails,
        phones=phones,
        organisations=organisations,
    )
    for name, value in values.items():
        setattr(person, name, value)
    return values


def person_reindex(person: Person) -> None:
    """Recompute the derived sort and search keys of ``person`` and store them."""
    values = derived_fields(
        person,
        emails=list(person.emails.values_list("email", flat=True)),
        phones=list(person.phones.values_list("e164", flat=True)),
        organisations=list(person.memberships.values_list("organisation__name", flat=True)),
    )
    Person.objects.filter(pk=person.pk).update(**values)


def _set_contacts(
    person: Person,
    emails: list[str] | None,
    phones: list[str] | None,
    labels: Mapping[str, str] | None = None,
    origin: tuple[str, str] = (FactSource.TOLD_US, ""),
) -> None:
    """Store the lists given; ``labels`` ("work", "mobile") go with emails and phones added, and
    so does ``origin``: their source and source detail."""
    labels = labels or {}
    source, detail = origin
    if emails is not None:
        person.emails.exclude(email__in=emails).delete()
        kept = set(person.emails.values_list("email", flat=True))
        for i, email in enumerate(emails):
            if email not in kept:
                label = labels.get(email, "")[:40]
                PersonEmail.objects.create(
                    person=person, email=email, label=label, source=source, source_detail=detail
                )
            PersonEmail.objects.filter(person=person, email=email).update(is_primary=i == 0)
    if phones is not None:
        person.phones.exclude(e164__in=phones).delete()
        kept = set(person.phones.values_list("e164", flat=True))
        for i, phone in enumerate(phones):
            if phone not in kept:
                PersonPhone.objects.create(
                    person=person,
                    e164=phone,
                    label=labels.get(phone, "")[:40],
                    source=source,
                    source_detail=detail,
                )
            PersonPhone.objects.filter(person=person, e164=phone).update(is_primary=i == 0)


def _set_roles(person: Person, roles: list[str] | None) -> None:
    if roles is None:
        return
    person.roles.exclude(role__in=roles).delete()
    kept = set(person.roles.values_list("role", flat=True))
    PersonRole.objects.bulk_create(
        [PersonRole(person=person, role=r) for r in roles if r not in kept]
    )


def _household(household_id: int | None) -> Household | None:
    if household_id is None:
        return None
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise Invalid.field("household_id", _("No such household."))
    return household


def contact_state(person: Person) -> dict[str, Any]:
    """The audited view of a person's multi-valued facts."""
    return {
        "emails": list(person.emails.values_list("email", flat=True)),
        "phones": list(person.phones.values_list("e164", flat=True)),
        "roles": sorted(person.roles.values_list("role", flat=True)),
        "household_id": person.household_id,
    }


def person_create(
    *,
    actor: User | None,
    source: str = FactSource.TOLD_US,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    roles: Sequence[str] = (),
    household_id: int | None = None,
    **fields: Any,
) -> PersonResult:
    """Add a person (any active user). Possible duplicates are returned, never blocked."""
    require_role(actor, User.Role.STAFF)
    values = clean_scalars(fields)
    source = clean_source(source)
    clean_e, clean_p, clean_r = clean_emails(emails), clean_phones(phones), clean_roles(roles)
    person = Person(**values, source=source, created_by=actor, household=_household(household_id))
    _check_name(person)
    duplicates = person_find_duplicates(
        given_name=person.given_name, family_name=person.family_name, emails=clean_e, phones=clean_p
    )
    with transaction.atomic():
        person.sort_key, person.family_key = name_keys(person.given_name, person.family_name)
        person.save()
        _set_contacts(person, clean_e, clean_p, origin=(source, ""))
        _set_roles(person, clean_r)
        person_reindex(person)
        audit_record(
            actor=actor,
            action="person.create",
            target=person,
            person_id=person.pk,
            changes={
                k: [None, v]
                for k, v in {**values, "source": source, **contact_state(person)}.items()
                if v
            },
        )
    return PersonResult(person=person, duplicates=duplicates)


def person_update(
    *,
    actor: User | None,
    person: Person,
    emails: Sequence[str] | None = None,
    phones: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    household_id: int | EllipsisType | None = ...,
    source: str | None = None,
    labels: Mapping[str, str] | None = None,
    via: str = "",
    via_source: str | None = None,
    **fields: Any,
) -> PersonResult:
    """Change the given fields; lists given replace the stored ones (first = primary).

    ``labels`` maps a normalised email or phone to its label ("work"), for those added;
    ``via`` says where the change came from ("guests.csv, import 12"), kept in its audit entry
    and as the source detail of the emails and phones added; their source is ``via_source``
    (an import's "imported"), else "told us" (``source`` is how we know the person, which the
    edit form sends back as it was: an address typed in is not "imported").
    """
    require_role(actor, User.Role.STAFF)
    values = clean_scalars(fields)
    if source is not None:
        values["source"] = clean_source(source)
    clean_e = clean_emails(emails) if emails is not None else None
    clean_p = clean_phones(phones) if phones is not None else None
    clean_r = clean_roles(roles) if roles is not None else None
    added_source = clean_source(via_source or FactSource.TOLD_US)
    household = person.household
    if not isinstance(household_id, EllipsisType):
        household = _household(household_id)
        if household is None and person.household_id is not None:
            # Moving someone into a household is frontline work; taking them out is a removal.
            require_role(actor, User.Role.MANAGER)
    given = values.get("given_name", person.given_name)
    if not given and not values.get("family_name", person.family_name):
        raise Invalid.field("given_name", _("Enter a given or family name."))
    # Everything is checked: only now does the in-memory person change.
    before = {name: getattr(person, name) for name in AUDITED_FIELDS} | contact_state(person)
    for name, value in values.items():
        setattr(person, name, value)
    person.household = household
    with transaction.atomic():
        person.save()
        _set_contacts(person, clean_e, clean_p, labels, (added_source, via[:300]))
        _set_roles(person, clean_r)
        person_reindex(person)
        after = {name: getattr(person, name) for name in AUDITED_FIELDS} | contact_state(person)
        changes = diff(before, after)
        if changes and via:
            changes = {"via": [None, via], **changes}
        if changes:
            audit_record(
                actor=actor,
                action="person.update",
                target=person,
                person_id=person.pk,
                changes=changes,
            )
    return PersonResult(person=person)


def person_archive(*, actor: User | None, person: Person) -> Person:
    """Hide a person from lists and search (managers); restorable."""
    require_role(actor, User.Role.MANAGER)
    if person.archived_at is None:
        with transaction.atomic():
            person.archived_at = timezone.now()
            person.save(update_fields=["archived_at", "updated_at"])
            audit_record(actor=actor, action="person.archive", target=person, person_id=person.pk)
    return person


def person_restore(*, actor: User | None, person: Person) -> Person:
    """Bring an archived person back into lists (managers)."""
    require_role(actor, User.Role.MANAGER)
    if person.archived_at is not None:
        with transaction.atomic():
            person.archived_at = None
            person.save(update_fields=["archived_at", "updated_at"])
            audit_record(actor=actor, action="person.restore", target=person, person_id=person.pk)
    return person


def person_delete(*, actor: User | None, person: Person) -> None:
    """Delete a person and everything attached to them (owners only)."""
    require_role(actor, User.Role.OWNER)
    if person.user_id is not None:
        raise Conflict(_("This person has a login; deactivate the user before deleting them."))
    interest_ids = list(person.interests.values_list("interest_id", flat=True))
    tag_ids = list(person.tag_links.values_list("tag_id", flat=True))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="person.delete",
            target=person,
            person_id=person.pk,
            changes={"name": [person.full_name, None]},
        )
        person.delete()
        interest_counts_refresh(interest_ids)
        tag_counts_refresh(tag_ids)


def person_link_user(*, actor: User | None, person: Person, user: User | None) -> Person:
    """Link a login to the person it belongs to (owners): staff are people too."""
    require_role(actor, User.Role.OWNER)
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise Conflict(_("This user is already linked to another person."))
    before = person.user_id
    with transaction.atomic():
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        if user is not None and not person.roles.filter(role=PersonRole.Role.STAFF).exists():
            PersonRole.objects.create(person=person, role=PersonRole.Role.STAFF)
        audit_record(
            actor=actor,
            action="person.link_user",
            target=person,
            person_id=person.pk,
            changes={"user": [before, user.pk if user else None]},
        )
    return person
