"""The "Heard at the counter" page: any member of staff notes what a customer said, in ten
seconds on a phone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.web import add_form_errors, is_htmx, render_page
from goodwill.feedback.forms import HeardForm
from goodwill.feedback.services.feedback import feedback_heard_create
from goodwill.people.models import Person
from goodwill.people.selectors import person_get_for_user

TEMPLATE = "feedback/heard_form.html"


def _person(request: AuthedRequest) -> Person | None:
    """Who said it: ``person`` from the form (POST) or the link (GET); None for anonymous."""
    data = request.POST if request.method == "POST" else request.GET
    raw = (data.get("person") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFound(_("No such person."))
    return person_get_for_user(user=request.user, person_id=int(raw))


def _page(request: AuthedRequest, form: HeardForm, person: Person | None) -> HttpResponse:
    context = {"form": form, "person": person, "fragment": is_htmx(request)}
    status = 422 if form.errors else 200
    return render_page(request, TEMPLATE, context, fragment="form", status=status)


@login_required
def heard(request: AuthedRequest) -> HttpResponse:
    """Note what a customer said (any staff member); then thanks, and an empty form again."""
    person = _person(request)
    form = HeardForm(request.POST or None, initial={"person": person.pk if person else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback_heard_create(
                actor=request.user,
                text=data["text"],
                category=data["category"],
                sentiment=data["sentiment"],
                person=person,
            )
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Thanks — the manager will see it."))
            if is_htmx(request):
                return _page(request, HeardForm(), None)
            return redirect("feedback:heard")
    return _page(request, form, person)
