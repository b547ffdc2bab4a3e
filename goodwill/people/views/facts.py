"""What we know about a person: interests, relationships and organisation memberships."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.core.web import add_form_errors, render_page
from goodwill.people import selectors, services
from goodwill.people.forms import (
    MembershipForm,
    PersonInterestForm,
    PickForm,
    RelationshipEditForm,
    RelationshipForm,
)
from goodwill.people.models import Relationship


def _back(pk: int, section: str) -> HttpResponse:
    return redirect(reverse("people:person_detail", args=[pk]) + f"#{section}")


@login_required
def person_interest_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Note something a person likes or dislikes, and how we know."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    form = PersonInterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_interest_add(actor=request.user, person=person, **form.cleaned_data)
        except Invalid as exc:
            add_form_errors(form, exc, aliases={"interest": "name"})
        else:
            return _back(pk, "interests")
    status = 422 if form.errors else 200
    context = {"person": person, "form": form}
    return render(request, "people/person_interest_form.html", context, status=status)


@login_required
@require_POST
def person_interest_remove(request: AuthedRequest, pk: int, pi_id: int) -> HttpResponse:
    """Forget one of a person's interests."""
    pi = selectors.person_interest_get_for_user(user=request.user, person_interest_id=pi_id)
    if pi.person_id != pk:
        raise NotFound(_("No such interest."))
    services.person_interest_remove(actor=request.user, person_interest=pi)
    return _back(pk, "interests")


@login_required
def relationship_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pick another person and say how this one relates to them; shown on both pages."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    pick = PickForm(request.GET)
    q = pick.cleaned_data["q"] if pick.is_valid() else ""
    form = RelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            other = selectors.person_get_for_user(user=request.user, person_id=data.pop("other_id"))
            services.relationship_create(actor=request.user, person=person, other=other, **data)
        except NotFound:
            form.add_error("other_id", _("Choose a person from the list."))
        except (Invalid, Conflict) as exc:
            add_form_errors(form, exc)
        else:
            return _back(pk, "relationships")
    candidates = selectors.person_options(user=request.user, q=q) if q else []
    context = {"person": person, "form": form, "pick": pick, "candidates": candidates}
    status = 422 if form.errors else 200
    return render_page(
        request, "people/relationship_form.html", context, fragment="candidates", status=status
    )


@login_required
def relationship_edit(request: AuthedRequest, pk: int, rel_id: int) -> HttpResponse:
    """Change a relationship's since-date (a wedding, say), notes or custom label."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    rel = selectors.relationship_get_for_user(user=request.user, relationship_id=rel_id)
    if pk not in (rel.from_person_id, rel.to_person_id):
        raise NotFound(_("No such relationship."))
    initial = {"custom_label": rel.custom_label, "since": rel.since, "notes": rel.notes}
    custom = rel.kind == Relationship.Kind.CUSTOM
    form = RelationshipEditForm(request.POST or None, initial=initial, custom=custom)
    context = {"person": person, "rel": rel, "label": rel.label_for(pk), "other": rel.other(pk)}
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_update(actor=request.user, relationship=rel, **form.cleaned_data)
        except (Invalid, Conflict) as exc:
            add_form_errors(form, exc)
        else:
            return _back(pk, "relationships")
    status = 422 if form.errors else 200
    return render(request, "people/relationship_edit.html", context | {"form": form}, status=status)


@login_required
@require_POST
def relationship_remove(request: AuthedRequest, pk: int, rel_id: int) -> HttpResponse:
    """Remove a relationship from both people's pages."""
    rel = selectors.relationship_get_for_user(user=request.user, relationship_id=rel_id)
    if pk not in (rel.from_person_id, rel.to_person_id):
        raise NotFound(_("No such relationship."))
    services.relationship_delete(actor=request.user, relationship=rel)
    return _back(pk, "relationships")


@login_required
def membership_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put a person in an organisation with their job title."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    pick = PickForm(request.GET)
    q = pick.cleaned_data["q"] if pick.is_valid() else ""
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = selectors.organisation_get_for_user(
                user=request.user, organisation_id=form.cleaned_data["organisation_id"]
            )
            services.membership_set(
                actor=request.user,
                person=person,
                organisation=org,
                job_title=form.cleaned_data["job_title"],
            )
        except NotFound:
            form.add_error("organisation_id", _("Choose an organisation from the list."))
        else:
            return _back(pk, "organisations")
    candidates = selectors.organisation_list(user=request.user, q=q, limit=20).items
    context = {"person": person, "form": form, "pick": pick, "candidates": candidates}
    status = 422 if form.errors else 200
    return render_page(
        request, "people/membership_form.html", context, fragment="candidates", status=status
    )


@login_required
@require_POST
def membership_remove(request: AuthedRequest, pk: int, membership_id: int) -> HttpResponse:
    """Take a person out of an organisation."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    selectors.person_detail_related(person)
    found = [m for m in person.membership_list if m.pk == membership_id]
    if not found:
        raise NotFound(_("No such membership."))
    services.membership_remove(actor=request.user, membership=found[0])
    return _back(pk, "organisations")
