"""Writes to organisations and memberships (a person's job title at a company)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.people.models import FactSource, Membership, Organisation, Person
from goodwill.people.normalize import fold
from goodwill.people.services.person_input import clean_source
from goodwill.people.services.persons import person_reindex

ORG_FIELDS = ["name", "website", "notes"]


def _clean(name: str | None, website: str | None, notes: str | None) -> dict[str, str]:
    values = {}
    if name is not None:
        name = name.strip()
        if not name:
            raise Invalid.field("name", _("This field is required."))
        if len(name) > 200:
            raise Invalid.field("name", _("At most %(n)d characters.") % {"n": 200})
        values["name"] = name
    if website is not None:
        website = website.strip()
        if website and not website.startswith(("http://", "https://")):
            raise Invalid.field("website", _("Start the address with https://."))
        values["website"] = website[:300]
    if notes is not None:
        values["notes"] = notes.strip()
    return values


def organisation_create(
    *, actor: User | None, name: str, website: str = "", notes: str = ""
) -> Organisation:
    """Add an organisation (any active user)."""
    require_role(actor, User.Role.STAFF)
    values = _clean(name, website, notes)
    org = Organisation(**values, name_key=fold(values["name"]))
    with transaction.atomic():
        org.save()
        audit_record(
            actor=actor,
            action="organisation.create",
            target=org,
            changes={k: [None, v] for k, v in values.items() if v},
        )
    return org


def organisation_update(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str | None = None,
    website: str | None = None,
    notes: str | None = None,
) -> Organisation:
    """Edit an organisation; a new name is re-indexed for its members' search."""
    require_role(actor, User.Role.STAFF)
    values = _clean(name, website, notes)
    before = snapshot(organisation, ORG_FIELDS)
    for key, value in values.items():
        setattr(organisation, key, value)
    organisation.name_key = fold(organisation.name)
    with transaction.atomic():
        organisation.save()
        if "name" in values and before["name"] != organisation.name:
            for person in Person.objects.filter(memberships__organisation=organisation):
                person_reindex(person)
        audit_record(
            actor=actor,
            action="organisation.update",
            target=organisation,
            changes=diff(before, snapshot(organisation, ORG_FIELDS)),
        )
    return organisation


def organisation_archive(
    *, actor: User | None, organisation: Organisation, archived: bool = True
) -> Organisation:
    """Archive or restore an organisation (managers)."""
    require_role(actor, User.Role.MANAGER)
    if (organisation.archived_at is not None) == archived:
        return organisation
    with transaction.atomic():
        organisation.archived_at = timezone.now() if archived else None
        organisation.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            action="organisation.archive" if archived else "organisation.restore",
            target=organisation,
        )
    return organisation


def organisation_delete(*, actor: User | None, organisation: Organisation) -> None:
    """Delete an organisation (owners); its people stay, without this membership."""
    require_role(actor, User.Role.OWNER)
    members = list(Person.objects.filter(memberships__organisation=organisation))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="organisation.delete",
            target=organisation,
            changes={"name": [organisation.name, None]},
        )
        organisation.delete()
        for person in members:
            person_reindex(person)


def membership_set(
    *,
    actor: User | None,
    person: Person,
    organisation: Organisation,
    job_title: str = "",
    source: str = FactSource.TOLD_US,
    source_detail: str = "",
) -> Membership:
    """Put ``person`` in ``organisation`` as ``job_title`` (updates the title if there); a new
    membership records ``source`` and ``source_detail`` (where we learnt it)."""
    require_role(actor, User.Role.STAFF)
    job_title = (job_title or "").strip()[:150]
    origin = {"source": clean_source(source), "source_detail": source_detail.strip()[:300]}
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            person=person, organisation=organisation, defaults={"job_title": job_title, **origin}
        )
        before = membership.job_title if not created else None
        if not created and membership.job_title != job_title:
            membership.job_title = job_title
            membership.save(update_fields=["job_title"])
        person_reindex(person)
        audit_record(
            actor=actor,
            action="membership.set",
            target=membership,
            person_id=person.pk,
            changes={
                "organisation": [None, organisation.name] if created else [organisation.name] * 2,
                "job_title": [before, job_title],
            },
        )
    return membership


def membership_remove(*, actor: User | None, membership: Membership) -> None:
    """Take a person out of an organisation (managers)."""
    require_role(actor, User.Role.MANAGER)
    person = membership.person
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="membership.remove",
            target=membership,
            person_id=person.pk,
            changes={"organisation": [membership.organisation.name, None]},
        )
        membership.delete()
        person_reindex(person)
