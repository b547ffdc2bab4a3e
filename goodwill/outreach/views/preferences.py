"""The public pages behind every marketing message's links, no login and no JavaScript:
``/u/<token>/`` (a GET asks to confirm and changes nothing, since mail scanners follow links; a
POST unsubscribes at once — RFC 8058 one-click, so no cookie or CSRF token and never a redirect)
and ``/p/<token>/`` (the preference page: every topic, opt out of one or all, opt in again).

Every unusable link gets the very same page. Each client IP may try ``PREFERENCES_RATE`` bad
links (default 30 a minute) before it gets a 429; working links are never counted, so a mailbox
provider sending many one-click unsubscribes from one address is not slowed down."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from goodwill.core.errors import Invalid, NotFound
from goodwill.outreach.models_campaigns import PreferenceLink
from goodwill.outreach.selectors.consent import ConsentStatus
from goodwill.outreach.selectors.preferences import (
    Preferences,
    preference_link_get,
    preferences_for_link,
)
from goodwill.outreach.services.preferences import (
    preference_unsubscribe,
    preferences_save,
    preferences_unsubscribe_all,
)

RATE_GROUP = "outreach.preference_links"


def _rate(_group: str, _request: HttpRequest) -> str:
    return str(getattr(settings, "PREFERENCES_RATE", "30/m"))


def _limited(request: HttpRequest, *, count: bool = False) -> bool:
    """Whether this IP has tried too many bad links; ``count`` adds this request as one."""
    return bool(is_ratelimited(request, group=RATE_GROUP, key="ip", rate=_rate, increment=count))


def _private(response: HttpResponse, referrer: str = "no-referrer") -> HttpResponse:
    """No referrer, no caching, no indexing: the URL is the secret. Pages with a CSRF-protected
    form say ``same-origin`` (browsers send ``Origin: null`` under ``no-referrer``)."""
    response.headers["Referrer-Policy"] = referrer
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _page(
    request: HttpRequest, name: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return _private(render(request, f"outreach/public/{name}.html", context, status=status))


def _bad_link(request: HttpRequest) -> HttpResponse:
    """The one page for an unknown, tampered or expired link (nothing tells them apart)."""
    if _limited(request, count=True):
        return _too_many(request)
    return _page(request, "link_invalid", {}, status=404)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = _page(request, "link_invalid", {"too_many": True}, status=429)
    response.headers["Retry-After"] = "60"
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: "Stop emails about … from …?" with one button, nothing changed. POST (any body,
    no cookie needed): unsubscribed at once, and a 200 page saying so. A working link's POST is
    never refused for the IP's bad tries: mailbox providers post one-click unsubscribes for many
    people from a few shared addresses."""
    if request.method != "POST" and _limited(request):
        return _too_many(request)
    try:
        if request.method == "POST":
            link = preference_unsubscribe(token=token)
            return _page(request, "unsubscribe_done", {"link": link, "token": token})
        link = preference_link_get(token=token)
    except NotFound:
        return _bad_link(request)
    return _page(request, "unsubscribe_confirm", {"link": link, "token": token})


class PreferencesForm(forms.Form):
    """The ticked topics, out of the topics the page showed (a topic added since is left as
    it was, not taken as unticked)."""

    wanted = forms.TypedMultipleChoiceField(coerce=int, required=False)
    shown = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, preferences: Preferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [(c.topic.pk, c.topic.name) for c in preferences.choices]
        for name in ("wanted", "shown"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared above)
            field.choices = ids

    def choices(self) -> dict[int, bool]:
        """Topic id → whether the person wants emails about it, for the topics shown."""
        wanted = set(self.cleaned_data["wanted"])
        return {pk: pk in wanted for pk in self.cleaned_data["shown"]}


def explain(status: ConsentStatus) -> str:
    """Why we may write about a topic, in words for the person (no staff notes)."""
    if status.basis == "express":
        return _("You asked for these emails.")
    if status.basis in ("implied_purchase", "implied_inquiry") and status.until is not None:
        until = date_format(status.until.date(), "j F Y")
        return _("Because you were our customer, until %(day)s.") % {"day": until}
    if status.valid:
        return _("We send these to our customers.")
    return _("You do not get these emails.")


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """Every topic, ticked when we may write about it; saving records only what changed. The
    "unsubscribe from everything" button stops every topic at once."""
    if _limited(request):
        return _too_many(request)
    try:
        link = preference_link_get(token=token)
    except NotFound:
        return _bad_link(request)
    found = preferences_for_link(link=link)
    form = PreferencesForm(request.POST or None, preferences=found)
    if request.method == "POST" and form.is_valid():
        try:
            if "everything" in request.POST:
                preferences_unsubscribe_all(token=token)
            else:
                preferences_save(token=token, wanted=form.choices())
        except NotFound:
            return _bad_link(request)
        except Invalid:  # the address has left the person's record: nothing goes to it for them
            return _page(request, "link_invalid", {}, status=404)
        return _private(redirect(request.path + "?saved=1"))
    return _preferences_page(request, link, found, form)


def _preferences_page(
    request: HttpRequest, link: PreferenceLink, found: Preferences, form: PreferencesForm
) -> HttpResponse:
    context = {
        "link": link,
        "address": found.address,
        "rows": [(c.topic, c.status.valid, explain(c.status)) for c in found.choices],
        "unsubscribed_all": found.unsubscribed_all,
        "saved": request.GET.get("saved") == "1" and request.method == "GET",
        "form": form,
    }
    status = 422 if form.errors else 200
    response = render(request, "outreach/public/preferences.html", context, status=status)
    return _private(response, referrer="same-origin")
