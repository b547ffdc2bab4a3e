"""The greeting page: a prefilled message in the people's own names, edited, then queued."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Invalid
from goodwill.core.web import add_form_errors
from goodwill.occasions.forms import requested_year
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.occasions import occasion_get, occasion_people
from goodwill.occasions.selectors.settings import business_today
from goodwill.outreach.forms_greetings import GreetingForm
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.selectors.greetings import greeting_queued, greeting_touches
from goodwill.outreach.services.greetings import greeting_draft, greeting_send


def mailto(recipients: list[str], subject: str, body: str) -> str:
    """A ``mailto:`` link with the greeting prefilled (RFC 6068, everything url-encoded)."""
    to = ",".join(quote(r, safe="@") for r in recipients)
    return f"mailto:{to}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def _year(request: AuthedRequest, occasion: Occasion) -> int:
    """``?year=`` (or the posted year) when it is a plausible year, else the nearest one."""
    raw = request.POST.get("year") or request.GET.get("year")
    return requested_year(raw, occasion, business_today())


def _sent(request: AuthedRequest, message: OutboxMessage, names: str) -> HttpResponse:
    if message.state == OutboxMessage.State.HELD:
        text = _("Greeting for %(names)s held for review: %(why)s")
        messages.warning(request, text % {"names": names, "why": message.held_reason})
    else:
        messages.success(request, _("Greeting queued for %(names)s.") % {"names": names})
    return redirect("occasions:today")


@login_required
def greeting(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show the prefilled greeting (editable) with its recipients and last year's; Send queues
    it once (a second click finds the queued message) and goes back to Today."""
    occasion = occasion_get(user=request.user, id=pk)
    year = _year(request, occasion)
    draft = greeting_draft(occasion=occasion, year=year)
    initial = {"year": year, "subject": draft.subject, "body": draft.body}
    form = GreetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = greeting_send(
                actor=request.user,
                occasion=occasion,
                year=data["year"],
                subject=data["subject"],
                body=data["body"],
            )
        except Invalid as exc:
            add_form_errors(form, exc, aliases={"body_text": "body"})
        else:
            return _sent(request, message, draft.names or _("them"))
    shown = (
        {k: str(form.data.get(k, "")) for k in ("subject", "body")} if form.is_bound else initial
    )
    context = {
        "occasion": occasion,
        "people": occasion_people(occasion),
        "year": year,
        "draft": draft,
        "form": form,
        "queued": greeting_queued(occasion=occasion, year=year),
        "last_year": greeting_touches(occasion=occasion, year=year - 1),
        "mailto": mailto(draft.recipients, str(shown["subject"]), str(shown["body"])),
    }
    status = 422 if form.errors else 200
    return render(request, "outreach/greeting_form.html", context, status=status)
