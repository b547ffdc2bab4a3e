"""Tags: on a person's page (add, remove), and the tags page with counts, where managers rename
and delete a tag for everyone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.core.web import add_form_errors, render_page
from goodwill.people import selectors, services
from goodwill.people.forms import PickForm, TagForm


@login_required
def person_tag_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Tag a person (an existing tag in any spelling, or a new one)."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_tag_add(
                actor=request.user, person=person, name=form.cleaned_data["name"]
            )
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            return redirect(reverse("people:person_detail", args=[pk]) + "#tags")
    status = 422 if form.errors else 200
    context = {"person": person, "form": form}
    return render(request, "people/person_tag_form.html", context, status=status)


@login_required
@require_POST
def person_tag_remove(request: AuthedRequest, pk: int, tag_id: int) -> HttpResponse:
    """Take a tag off a person (404 when they do not have it)."""
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    tag = selectors.tag_get_for_user(user=request.user, tag_id=tag_id)
    services.person_tag_remove(actor=request.user, person=person, tag=tag)
    return redirect(reverse("people:person_detail", args=[pk]) + "#tags")


@login_required
def tag_list(request: AuthedRequest) -> HttpResponse:
    """Every tag by name with how many people have it, each linking to those people."""
    pick = PickForm(request.GET)
    q = pick.cleaned_data["q"] if pick.is_valid() else ""
    page = selectors.tag_list(user=request.user, q=q, cursor=request.GET.get("cursor"))
    context = {"pick": pick, "page": page}
    return render_page(request, "people/tag_list.html", context, fragment="results")


@login_required
def tag_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rename a tag for everyone (managers); another tag's name merges the two."""
    require_role(request.user, User.Role.MANAGER)
    tag = selectors.tag_get_for_user(user=request.user, tag_id=pk)
    form = TagForm(request.POST or None, initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        old_name = tag.name
        try:
            kept = services.tag_rename(actor=request.user, tag=tag, name=form.cleaned_data["name"])
        except (Invalid, Conflict) as exc:
            add_form_errors(form, exc)
        else:
            if kept.pk != pk:
                text = _("“%(old)s” is merged into “%(new)s”.")
                messages.success(request, text % {"old": old_name, "new": kept.name})
            else:
                messages.success(request, _("Saved."))
            return redirect("people:tag_list")
    status = 422 if form.errors else 200
    return render(request, "people/tag_form.html", {"tag": tag, "form": form}, status=status)


@login_required
def tag_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a tag and take it off everyone (managers)."""
    require_role(request.user, User.Role.MANAGER)
    tag = selectors.tag_get_for_user(user=request.user, tag_id=pk)
    if request.method == "POST":
        removed = services.tag_delete(actor=request.user, tag=tag)
        text = ngettext(
            "“%(name)s” deleted; %(n)d person had it.",
            "“%(name)s” deleted; %(n)d people had it.",
            removed,
        )
        messages.success(request, text % {"name": tag.name, "n": removed})
        return redirect("people:tag_list")
    return render(request, "people/tag_confirm_delete.html", {"tag": tag})
