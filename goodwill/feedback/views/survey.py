"""The public survey page ``/s/<token>/``: no login and no JavaScript, a thumb, a 0–10 score and
a comment, answered once. Every unusable link gets the very same page; every page keeps the
token out of referrers and caches, and each client IP may load it ``SURVEY_RATE`` times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit

from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.core.web import add_form_errors
from goodwill.feedback.models import MAX_SCORE, MAX_TEXT, Survey
from goodwill.feedback.selectors.surveys import survey_get_by_token
from goodwill.feedback.services.survey_answers import survey_answer

RATE_GROUP = "feedback.survey"
THUMBS = {"up": True, "down": False}
View = Callable[..., HttpResponse]


class SurveyForm(forms.Form):
    """The answer as typed: every field optional (the service wants at least one)."""

    thumbs = forms.ChoiceField(
        choices=[("up", gettext_lazy("Good")), ("down", gettext_lazy("Not good"))],
        required=False,
        widget=forms.RadioSelect,
    )
    score = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(MAX_SCORE + 1)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT})
    )

    def answer(self) -> dict[str, Any]:
        """The cleaned answer as the service's arguments."""
        data = self.cleaned_data
        return {
            "thumbs_up": THUMBS.get(data["thumbs"]),
            "score": data["score"],
            "comment": data["comment"],
        }


def _rate(_group: str, _request: HttpRequest) -> str:
    return str(settings.SURVEY_RATE)


def _private(response: HttpResponse, referrer: str = "no-referrer") -> HttpResponse:
    """No referrer, no caching, no indexing: the URL is the secret.

    The form's page says ``same-origin`` instead: under ``no-referrer`` browsers send
    ``Origin: null`` with the form, which Django's CSRF check rightly refuses; ``same-origin``
    still gives the address to no other site (and the page links to none)."""
    response.headers["Referrer-Policy"] = referrer
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _message(request: HttpRequest, heading: str, text: str, status: int) -> HttpResponse:
    context = {"heading": heading, "text": text}
    return _private(render(request, "feedback/survey_message.html", context, status=status))


def _invalid(request: HttpRequest) -> HttpResponse:
    """The one page for an unknown, tampered or expired link: nothing in it depends on which."""
    text = _("If you would still like to tell us how it was, just reply to our email.")
    return _message(request, _("This survey link is no longer valid."), text, 404)


def _answered(request: HttpRequest) -> HttpResponse:
    return _message(request, _("Thanks, we already have your answer."), "", 200)


def _thanks(request: HttpRequest, survey: Survey) -> HttpResponse:
    name = survey.person.preferred_name or survey.person.given_name
    heading = _("Thank you, %(name)s!") % {"name": name} if name else _("Thank you!")
    return _message(request, heading, _("Your answer has reached the team."), 200)


def _form(request: HttpRequest, survey: Survey, form: SurveyForm) -> HttpResponse:
    person = survey.person
    chosen = str(form["score"].value())
    context = {
        "form": form,
        "survey": survey,
        "name": person.preferred_name or person.given_name,
        "purchase": survey.purchase,
        # (score, chosen): the form's value read once, not once per radio button.
        "scores": [(n, str(n) == chosen) for n in range(MAX_SCORE + 1)],
    }
    status = 422 if form.errors else 200
    response = render(request, "feedback/survey_form.html", context, status=status)
    return _private(response, referrer="same-origin")


# Counts every request (GET and POST) per client IP; over the rate it sets request.limited.
per_ip: Callable[[View], View] = ratelimit(
    group=RATE_GROUP, key="ip", rate=_rate, method=ALL, block=False
)


@require_http_methods(["GET", "HEAD", "POST"])
@per_ip
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """Show the survey, or record its answer once; too many requests from one IP get a 429."""
    if getattr(request, "limited", False):
        text = _("Please wait a minute and try again.")
        response = _message(request, _("Too many requests."), text, 429)
        response.headers["Retry-After"] = "60"
        return response
    try:
        survey = survey_get_by_token(token=token)
    except NotFound:
        return _invalid(request)
    if survey.answered_at is not None:
        return _answered(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(token=token, survey=survey, **form.answer())
        except NotFound:
            return _invalid(request)
        except Conflict:
            return _answered(request)
        except Invalid as exc:
            add_form_errors(form, exc, aliases={"thumbs_up": "thumbs"})
        else:
            return _thanks(request, survey)
    return _form(request, survey, form)
