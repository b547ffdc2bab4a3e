"""The "Write an email" page of a person: the checks' warnings first, then the form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role
from goodwill.core.errors import Invalid
from goodwill.core.web import add_form_errors
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.services.direct import direct_email_check, direct_email_send
from goodwill.people import selectors as people
from goodwill.people.models import Person


class DirectEmailForm(forms.Form):
    """Subject, text, whether it gives or asks, and a manager's "send anyway"."""

    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=300)
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 10}))
    intent = forms.ChoiceField(
        label=gettext_lazy("This email"),
        choices=[
            (Touch.Intent.GIVING, gettext_lazy("gives (thanks, an answer, good news)")),
            (Touch.Intent.ASKING, gettext_lazy("asks (a review, a booking, a referral)")),
        ],
        widget=forms.RadioSelect,
        initial=Touch.Intent.GIVING,
    )
    override = forms.BooleanField(
        label=gettext_lazy("Send anyway (manager): I have a reason, and it is logged"),
        required=False,
    )


def _sent(person: Person, message: OutboxMessage) -> str:
    """ "Email to Ann Lee queued.", saying when it goes out if their quiet hours hold it."""
    due = message.next_attempt_at
    if due is not None and due > message.created_at + dt.timedelta(minutes=1):
        when = date_format(timezone.localtime(due), "DATETIME_FORMAT")
        return _("Email to %(name)s queued; it goes out after their quiet hours, %(when)s.") % {
            "name": person,
            "when": when,
        }
    return _("Email to %(name)s queued.") % {"name": person}


@login_required
def direct_email(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show the checks for a giving and an asking email, and the form; Send queues the email
    (a refusal comes back next to the field, with 422) and returns to the person's page."""
    person = people.person_get_for_user(user=request.user, person_id=pk)
    form = DirectEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = direct_email_send(actor=request.user, person=person, **form.cleaned_data)
        except Invalid as exc:
            add_form_errors(form, exc, aliases={"body_text": "body", "to": "__all__"})
        else:
            messages.success(request, _sent(person, message))
            return redirect("people:person_detail", person.pk)
    context = {
        "person": person,
        "form": form,
        "checks": [
            (_("A giving email"), direct_email_check(person=person, intent=Touch.Intent.GIVING)),
            (_("An asking email"), direct_email_check(person=person, intent=Touch.Intent.ASKING)),
        ],
        "manager": has_role(request.user, User.Role.MANAGER),
    }
    status = 422 if form.errors else 200
    return render(request, "outreach/direct_email.html", context, status=status)
