"""The touch budget's pages: log a call or visit as giving or asking and set a person's own
limits (from the person page), the business's touch policy, and "stay in touch"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.commerce.models import Journey
from goodwill.core.errors import GoodwillError, Invalid
from goodwill.core.web import add_form_errors
from goodwill.outreach.selectors.balance import stay_in_touch_page
from goodwill.outreach.selectors.budget import LIMIT_FIELDS, touch_policy
from goodwill.outreach.services.touch_policy import (
    POLICY_FIELDS,
    person_touch_policy_set,
    touch_policy_update,
)
from goodwill.outreach.services.touches import touch_log
from goodwill.people import selectors as people


class TouchPolicyForm(forms.Form):
    """The business's touch policy; ranges are checked by the service."""

    short_max = forms.IntegerField(label=gettext_lazy("Marketing touches per short window"))
    short_days = forms.IntegerField(label=gettext_lazy("Short window (days)"))
    long_max = forms.IntegerField(label=gettext_lazy("Marketing touches per long window"))
    long_days = forms.IntegerField(label=gettext_lazy("Long window (days)"))
    min_gap_hours = forms.IntegerField(label=gettext_lazy("Minimum gap after a touch (hours)"))
    quiet_start = forms.TimeField(label=gettext_lazy("Quiet hours start (HH:MM)"))
    quiet_end = forms.TimeField(label=gettext_lazy("Quiet hours end (HH:MM)"))
    giving_before_asking = forms.BooleanField(
        required=False, label=gettext_lazy("A giving touch before every asking one")
    )
    stay_in_touch_days = forms.IntegerField(
        label=gettext_lazy("Stay in touch: list people given nothing for (days)")
    )
    stay_in_touch_stages = forms.MultipleChoiceField(
        choices=Journey.Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Stay in touch with"),
    )


def _person_url(pk: int) -> str:
    return reverse("people:person_detail", args=[pk]) + "#balance"


def _first_error(exc: GoodwillError) -> str:
    return next(iter(exc.fields.values()), [exc.message])[0]


@login_required
@require_POST
def touch_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Log a call, visit, letter or text to the person as giving or asking (any staff member)."""
    person = people.person_get_for_user(user=request.user, person_id=pk)
    try:
        touch_log(
            actor=request.user,
            person=person,
            channel=request.POST.get("channel", ""),
            intent=request.POST.get("intent", ""),
            summary=request.POST.get("summary", ""),
        )
    except Invalid as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(
            request, _("Touch logged on %(name)s's page.") % {"name": person.full_name}
        )
    return redirect(_person_url(person.pk))


@login_required
@require_POST
def person_limits(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set or clear the person's own limits; an empty box means the business's (managers)."""
    require_role(request.user, User.Role.MANAGER)
    person = people.person_get_for_user(user=request.user, person_id=pk)
    fields: dict[str, object] = {n: request.POST.get(n, "").strip() for n in LIMIT_FIELDS}
    fields["note"] = request.POST.get("note", "")
    try:
        person_touch_policy_set(actor=request.user, person=person, **fields)
    except Invalid as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("Limits saved."))
    return redirect(_person_url(person.pk))


@login_required
def touch_policy_page(request: AuthedRequest) -> HttpResponse:
    """The touch policy: staff read it, managers and owners change it."""
    require_role(request.user, User.Role.STAFF)
    policy = touch_policy()
    can_edit = has_role(request.user, User.Role.MANAGER)
    initial = {name: getattr(policy, name) for name in POLICY_FIELDS}
    form = TouchPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require_role(request.user, User.Role.MANAGER)
        if form.is_valid():
            try:
                touch_policy_update(actor=request.user, **form.cleaned_data)
            except Invalid as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Touch policy saved."))
                return redirect("outreach:touch_policy")
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "outreach/touch_policy.html",
        {"form": form, "can_edit": can_edit, "policy": policy},
    )


@login_required
def stay_in_touch(request: AuthedRequest) -> HttpResponse:
    """People in the chosen journey stages we have given nothing for too long, longest first."""
    page = stay_in_touch_page(user=request.user, cursor=request.GET.get("cursor"), limit=50)
    policy = touch_policy()
    labels = dict(Journey.Stage.choices)
    stages = ", ".join(str(labels.get(s, s)) for s in policy.stay_in_touch_stages)
    context = {"page": page, "policy": policy, "stages": stages}
    return render(
        request, "outreach/stay_in_touch.html", context | {"first": "cursor" not in request.GET}
    )
