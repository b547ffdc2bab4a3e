"""The people list and search, the person page, add/edit, archive/restore, delete, login."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.selectors import audit_list_for_person, user_get, user_list
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.core.web import add_form_errors, render_page
from goodwill.people import selectors, services
from goodwill.people.forms import (
    PersonCreateForm,
    PersonForm,
    PersonInterestForm,
    PersonUserForm,
    SearchForm,
    TagForm,
)
from goodwill.people.models import Organisation, Person
from goodwill.people.normalize import fold, format_phone
from goodwill.people.services.person_input import SCALAR_FIELDS, clean_emails, clean_phones

ORGANISATION_CHOICES = 10


@dataclass
class _OrganisationFilter:
    """The organisation the list is filtered by, or the ones a typed name may mean."""

    organisation: Organisation | None = None
    choices: list[Organisation] = field(default_factory=list)
    unresolved: bool = False


def _organisation_filter(user: User, form: SearchForm) -> _OrganisationFilter:
    """Resolve ``?organisation=<id>`` or a typed name; a name matching several offers choices."""
    data = form.cleaned_data
    if data.get("organisation"):
        try:
            org = selectors.organisation_get_for_user(
                user=user, organisation_id=data["organisation"]
            )
        except NotFound as exc:
            form.add_error("organisation_name", exc.message)
            return _OrganisationFilter(unresolved=True)
        return _OrganisationFilter(organisation=org)
    name = data.get("organisation_name")
    if not name:
        return _OrganisationFilter()
    matches = selectors.organisation_list(user=user, q=name, limit=ORGANISATION_CHOICES).items
    exact = [o for o in matches if o.name_key == fold(name)]
    if len(matches) == 1 or len(exact) == 1:
        return _OrganisationFilter(organisation=(exact or matches)[0])
    if not matches:
        form.add_error("organisation_name", _("No organisation has that name."))
    return _OrganisationFilter(choices=matches, unresolved=True)


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    """Everyone in name order with filters, or ranked search results when ``q`` is given."""
    form = SearchForm(request.GET)
    form.is_valid()
    f = {k: v for k, v in form.cleaned_data.items() if v}
    archived = bool(f.get("archived")) and request.user.is_manager_or_owner
    imported = f.get("import") if request.user.is_manager_or_owner else None  # as archived
    org = _OrganisationFilter()
    if f.get("q") and archived:
        page = selectors.person_search_archived(user=request.user, q=f["q"], cursor=f.get("cursor"))
    elif f.get("q"):
        page = selectors.person_search(user=request.user, q=f["q"], cursor=f.get("cursor"))
    elif (org := _organisation_filter(request.user, form)).unresolved:
        page = selectors.Page(items=[])
    else:
        page = selectors.person_list(
            user=request.user,
            role=f.get("role"),
            interest=f.get("interest"),
            organisation_id=org.organisation.pk if org.organisation else None,
            archived=archived,
            extra=form.extra_values(),
            import_id=imported,
            cursor=f.get("cursor"),
        )
    context = {"form": form, "page": page, "searching": bool(f.get("q")), "archived": archived}
    context |= {"organisation": org.organisation, "organisation_choices": org.choices}
    context["import_id"] = None if f.get("q") else imported
    # An empty list has nobody to export; the export knows no import filter.
    context["exportable"] = not org.unresolved and not context["import_id"]
    return render_page(request, "people/person_list.html", context, fragment="results")


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person's tags, facts with their sources, ties, connections, timeline and history."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    selectors.person_detail_related(person)
    context = {
        "person": person,
        "phones": [(p, format_phone(p.e164)) for p in person.phone_list],
        "interests": selectors.person_interest_list(person=person),
        "tags": selectors.person_tag_list(person_id=person.pk),
        "tag_form": TagForm(auto_id="id_tag_%s"),
        "relationships": [
            {"rel": r, "label": r.label_for(person.pk), "other": r.other(person.pk)}
            for r in selectors.relationship_list_for_person(person=person)
        ],
        "housemates": selectors.household_members(household=person.household)
        if person.household
        else [],
        "connections": selectors.person_connections(person=person),
        "history": audit_list_for_person(user=request.user, person_id=person.pk),
        "interest_form": PersonInterestForm(),
        "user_form": _user_form(request, person) if request.user.is_owner else None,
    }
    return render(request, "people/person_detail.html", context)


def _render_form(
    request: AuthedRequest,
    form: PersonForm,
    person: Person | None,
    duplicates: Sequence[Person] = (),
) -> HttpResponse:
    status = 422 if form.errors else 200
    context = {"form": form, "person": person, "duplicates": duplicates}
    return render(request, "people/person_form.html", context, status=status)


def _unconfirmed_duplicates(form: PersonCreateForm) -> list[Person]:
    """Who the new person may be, unless "Save anyway" was pressed; Invalid on a bad contact."""
    if form.cleaned_data["confirm_duplicates"]:
        return []
    data = form.service_kwargs()
    return selectors.person_find_duplicates(
        given_name=data["given_name"],
        family_name=data["family_name"],
        emails=clean_emails(data["emails"]),
        phones=clean_phones(data["phones"]),
    )


@login_required
def person_create(request: AuthedRequest) -> HttpResponse:
    """Add a person; possible duplicates are shown as "this may be X" before anything is saved."""
    form = PersonCreateForm(request.POST or None)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        try:
            duplicates = _unconfirmed_duplicates(form)
            if not duplicates:
                person = services.person_create(actor=request.user, **form.service_kwargs()).person
                messages.success(request, _("%(name)s added.") % {"name": person})
                return redirect("people:person_detail", pk=person.pk)
        except Invalid as exc:
            add_form_errors(form, exc)
    return _render_form(request, form, None, duplicates)


def _initial(person: Person) -> dict[str, Any]:
    selectors.person_detail_related(person)
    initial = {name: getattr(person, name) for name in SCALAR_FIELDS}
    initial["source"] = person.source
    initial["emails"] = "\n".join(e.email for e in person.email_list)
    initial["phones"] = "\n".join(p.e164 for p in person.phone_list)
    initial["roles"] = [r.role for r in person.role_list]
    return initial


@login_required
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a person's names, contacts, address, roles and notes."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    form = PersonForm(request.POST or None, initial=_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.service_kwargs())
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:person_detail", pk=person.pk)
    return _render_form(request, form, person)


@login_required
@require_POST
def person_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hide a person from lists and search (managers); restorable."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    services.person_archive(actor=request.user, person=person)
    messages.success(request, _("%(name)s archived.") % {"name": person})
    return redirect("people:person_detail", pk=person.pk)


@login_required
@require_POST
def person_restore(request: AuthedRequest, pk: int) -> HttpResponse:
    """Bring an archived person back (managers)."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    services.person_restore(actor=request.user, person=person)
    messages.success(request, _("%(name)s restored.") % {"name": person})
    return redirect("people:person_detail", pk=person.pk)


@login_required
def person_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a person and everything attached to them (owners)."""
    require_role(request.user, User.Role.OWNER)
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    if request.method == "POST":
        services.person_delete(actor=request.user, person=person)
        messages.success(request, _("%(name)s deleted.") % {"name": person})
        return redirect("people:person_list")
    return render(request, "people/person_confirm_delete.html", {"person": person})


def _login_options(actor: User, person: Person) -> QuerySet[User]:
    """Logins not linked to anyone else (this person's own stays listed)."""
    return user_list(actor=actor).filter(Q(person__isnull=True) | Q(person=person))


def _user_form(request: AuthedRequest, person: Person) -> PersonUserForm:
    users = _login_options(request.user, person)
    return PersonUserForm(request.POST or None, users=users, initial={"user": person.user_id})


@login_required
def person_link_user(request: AuthedRequest, pk: int) -> HttpResponse:
    """Link a login to this person or unlink it (owners): staff are people too."""
    require_role(request.user, User.Role.OWNER)
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    form = _user_form(request, person)
    if request.method == "POST" and form.is_valid():
        user_id = form.cleaned_data["user"]
        try:
            login = None if user_id is None else user_get(actor=request.user, user_id=user_id)
            services.person_link_user(actor=request.user, person=person, user=login)
        except (NotFound, Conflict, Invalid) as exc:
            form.add_error("user", exc.message)
        else:
            messages.success(request, _("Login linked.") if login else _("Login unlinked."))
            return redirect(reverse("people:person_detail", args=[person.pk]) + "#login")
    status = 422 if form.errors else 200
    context = {"person": person, "form": form}
    return render(request, "people/person_user_form.html", context, status=status)
