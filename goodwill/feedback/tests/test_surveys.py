"""Surveys answered on their public page: the whole flow with the test client, one answer per
link, one neutral page for every unusable link, the rate limit, and the answer reaching the
inbox, the timeline and the person's journey."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get, business_update
from goodwill.commerce.models import Journey, Purchase
from goodwill.commerce.services import purchase_log
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.core.tests.matrix import db_state
from goodwill.feedback.logs import redact
from goodwill.feedback.models import Feedback, Survey
from goodwill.feedback.services import survey_answers
from goodwill.feedback.services.survey_answers import sentiment_of, survey_answer
from goodwill.feedback.services.surveys import survey_create
from goodwill.feedback.tests.factories import ESCAPED, SCRIPT
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

INVALID = "This survey link is no longer valid."
ALREADY = "Thanks, we already have your answer."


@pytest.fixture(autouse=True)
def _setup(db: None, settings: Any) -> None:
    """The business is named, and the rate limit starts afresh and out of the way."""
    business_get()
    business_update(actor=None, name="The Green Grocer")
    settings.SURVEY_RATE = "1000/m"
    cache.clear()


def _anne() -> Person:
    return make_person(given_name="Anne", family_name="Whitman", preferred_name="Annie")


def _purchase(person: Person, staff: User | None = None, **overrides: Any) -> Purchase:
    fields: dict[str, Any] = {"description": "Sunday roast", "category": "Restaurant"}
    fields.update(overrides)
    return purchase_log(actor=staff, person=person, **fields)


def _link(person: Person, purchase: Purchase | None = None, **kwargs: Any) -> tuple[Survey, str]:
    return survey_create(actor=None, person=person, purchase=purchase, **kwargs)


def _path(raw: str) -> str:
    return reverse("feedback:survey", args=[raw])


def _answer(**overrides: str) -> dict[str, str]:
    return {"thumbs": "up", "score": "10", "comment": "Lovely roast"} | overrides


def _post(client: Client, raw: str, data: dict[str, str]) -> Any:
    """GET the page (for its CSRF cookie), then POST the answer with the token, as a browser."""
    client.get(_path(raw))
    token = client.cookies["csrftoken"].value
    return client.post(_path(raw), {**data, "csrfmiddlewaretoken": token})


def _expire(survey: Survey) -> None:
    """Move a link's expiry into the past (time passing, not a write any user can make)."""
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))


def test_it_greets_the_person_by_name_and_says_what_it_is_about() -> None:
    anne = _anne()
    _survey, raw = _link(
        anne, _purchase(anne, occurred_at=dt.datetime(2026, 3, 14, 12, tzinfo=dt.UTC))
    )

    response = Client().get(_path(raw))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hello Annie, how was it?" in html
    assert "About: Sunday roast, March 14, 2026 · Restaurant" in html
    assert "The Green Grocer" in html
    assert "How likely are you to recommend us to a friend?" in html
    assert html.count('type="radio" name="score"') == 11
    assert html.count('type="radio" name="thumbs"') == 2
    assert 'name="comment"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script" not in html
    assert "http" not in html.split("<body>")[1]  # no external asset, no link out
    assert response["Referrer-Policy"] == "same-origin"  # no-referrer would send Origin: null
    assert response["Cache-Control"] == "no-store"
    assert "csrftoken" in response.cookies


def test_without_a_purchase_or_a_first_name_it_asks_about_the_last_visit() -> None:
    moss = make_person(given_name="", family_name="Moss")
    _survey, raw = _link(moss)

    html = Client().get(_path(raw)).content.decode()

    assert "Hello, how was it?" in html
    assert "About your last visit to The Green Grocer" in html
    assert "Moss" not in html


def test_the_whole_public_flow_records_the_answer_everywhere(bob: User) -> None:
    anne = _anne()
    survey, raw = _link(anne, _purchase(anne, bob))
    client = Client(enforce_csrf_checks=True)

    response = _post(client, raw, _answer(comment="  Lovely roast  "))

    assert response.status_code == 200
    assert "Thank you, Annie!" in response.content.decode()
    assert (response["Referrer-Policy"], response["Cache-Control"]) == ("no-referrer", "no-store")
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.text, feedback.category, feedback.sentiment) == (
        "survey",
        "Lovely roast",
        "other",
        "positive",
    )
    assert (feedback.person, feedback.score, feedback.thumbs_up, feedback.status) == (
        anne,
        10,
        True,
        "new",
    )
    assert feedback.heard_by is None
    survey.refresh_from_db()
    assert survey.answer == feedback
    assert survey.answered_at == feedback.heard_at
    touch = Interaction.objects.get(person=anne, kind="feedback")
    assert (touch.summary, touch.body, touch.direction, touch.channel, touch.staff) == (
        "Survey: 10/10 👍",
        "Lovely roast",
        "inbound",
        "survey",
        None,
    )
    journey = Journey.objects.get(person=anne)
    assert (journey.stage, journey.best_score) == ("advocate", 10)
    entry = AuditEntry.objects.get(action="survey.answer")
    assert (entry.actor, entry.target_id, entry.person_id) == (None, survey.pk, anne.pk)
    assert entry.actor_label == "public survey link"  # not "command line"
    assert entry.changes == {
        "answer": [None, feedback.pk],
        "score": [None, 10],
        "thumbs_up": [None, True],
        "by": "public survey link",
    }


def test_an_answer_reads_its_survey_once_and_keeps_its_queries_few(bob: User) -> None:
    anne = _anne()
    _survey, raw = _link(anne, _purchase(anne, bob))
    client = Client()
    client.get(_path(raw))  # the form, as the phone loads it first
    token = client.cookies["csrftoken"].value

    with CaptureQueriesContext(connection) as queries:
        response = client.post(_path(raw), {**_answer(score="8"), "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([q for q in sql if q.startswith('SELECT "feedback_survey"')]) == 1
    assert len(sql) <= 14, sql


def test_the_answer_shows_in_the_inbox_and_on_the_person_page(maria_client: Client) -> None:
    anne = _anne()
    _survey, raw = _link(anne)
    _post(Client(), raw, _answer(thumbs="down", score="3", comment="Cold soup"))

    inbox = maria_client.get(reverse("feedback:inbox") + "?source=survey").content.decode()
    person = maria_client.get(reverse("people:person_detail", args=[anne.pk])).content.decode()

    assert "Cold soup" in inbox
    assert "score 3/10" in inbox
    assert "negative" in inbox
    assert "Survey: 3/10 👎" in person
    assert "Cold soup" in person


def test_a_second_submission_is_thanked_and_stores_nothing() -> None:
    anne = _anne()
    _survey, raw = _link(anne)
    client = Client()
    _post(client, raw, _answer())
    before = db_state()

    again = _post(client, raw, _answer(score="2", comment="Changed my mind"))
    page = client.get(_path(raw))

    for response in (again, page):
        assert response.status_code == 200
        assert ALREADY in response.content.decode()
        assert 'name="score"' not in response.content.decode()
    assert db_state() == before
    assert Feedback.objects.get().score == 10


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"thumbs": "", "score": "", "comment": "   "},
        {"score": "11"},
        {"thumbs": "sideways"},
        {"comment": "x" * 2001},
    ],
)
def test_a_bad_answer_comes_back_with_its_error_and_stores_nothing(data: dict[str, str]) -> None:
    _survey, raw = _link(_anne())
    client = Client()
    client.get(_path(raw))
    before = db_state()

    response = _post(client, raw, data)

    assert response.status_code == 422
    assert 'class="errorlist"' in response.content.decode()
    assert db_state() == before


def test_a_refused_answer_keeps_what_they_chose() -> None:
    _survey, raw = _link(_anne())

    response = _post(Client(), raw, {"thumbs": "up", "score": "7", "comment": "x" * 2001})

    html = response.content.decode()
    assert response.status_code == 422
    assert html.count(" checked") == 2
    assert 'value="7" checked' in html
    assert 'value="up" checked' in html


def test_an_empty_answer_says_what_is_wanted() -> None:
    _survey, raw = _link(_anne())
    response = _post(Client(), raw, {"comment": " "})
    assert "Choose a thumb or a number, or write a few words." in response.content.decode()


def test_a_comment_may_be_the_whole_answer() -> None:
    _survey, raw = _link(_anne())
    response = _post(Client(), raw, {"comment": "Just a note"})
    assert response.status_code == 200
    feedback = Feedback.objects.get()
    assert (feedback.text, feedback.score, feedback.thumbs_up, feedback.sentiment) == (
        "Just a note",
        None,
        None,
        "neutral",
    )
    assert Interaction.objects.get(kind="feedback").summary == "Survey answer"
    assert not Journey.objects.filter(best_score__isnull=False).exists()


def _bad_tokens() -> dict[str, str]:
    anne = _anne()
    _answered, answered_raw = _link(anne)
    survey_answer(token=answered_raw, thumbs_up=True, score=9, comment="")
    answered, _raw = _link(anne)
    expired, expired_raw = _link(anne)
    _expire(expired)
    _expire(Survey.objects.get(pk=_answered.pk))
    _open, open_raw = _link(anne)
    tampered = open_raw[:-1] + ("A" if open_raw[-1] != "A" else "B")
    return {
        "expired": expired_raw,
        "answered then expired": answered_raw,
        "tampered": tampered,
        "random": secrets.token_urlsafe(32),
        "short": "x",
        "long": "a" * 500,
        "odd characters": "%3Cscript%3E",
    }


def test_every_bad_link_gets_the_same_page_and_stores_nothing(caplog: Any) -> None:
    tokens = _bad_tokens()
    client = Client()
    before = db_state()
    pages = []

    with caplog.at_level(logging.WARNING):
        for raw in tokens.values():
            pages.append(client.get(_path(raw)))
            pages.append(client.post(_path(raw), _answer()))

    assert {p.status_code for p in pages} == {404}
    assert len({p.content for p in pages}) == 1
    html = pages[0].content.decode()
    assert INVALID in html
    assert "Annie" not in html
    assert "<form" not in html
    assert {(p["Referrer-Policy"], p["Cache-Control"]) for p in pages} == {
        ("no-referrer", "no-store")
    }
    assert db_state() == before
    for raw in tokens.values():
        assert raw not in caplog.text
    assert "Not Found: /s/…/" in caplog.text


def test_bad_links_post_with_csrf_get_the_same_page() -> None:
    tokens = _bad_tokens()
    client = Client(enforce_csrf_checks=True)
    _survey, good = _link(make_person(given_name="Ben"))
    client.get(_path(good))
    csrf = client.cookies["csrftoken"].value
    before = db_state()

    pages = [
        client.post(_path(raw), {**_answer(), "csrfmiddlewaretoken": csrf})
        for raw in tokens.values()
    ]

    assert [p.status_code for p in pages] == [404] * len(tokens)
    assert len({p.content for p in pages}) == 1
    assert db_state() == before


def test_the_rate_limit_gives_429_and_stores_nothing(settings: Any) -> None:
    settings.SURVEY_RATE = "3/m"
    _survey, raw = _link(_anne())
    client = Client()
    client.get(_path(raw))
    client.get(_path(raw))
    client.get(_path(raw))
    before = db_state()

    page = client.get(_path(raw))
    answer = client.post(_path(raw), _answer())

    for response in (page, answer):
        assert response.status_code == 429
        assert "Too many requests." in response.content.decode()
        assert response["Retry-After"] == "60"
        assert response["Cache-Control"] == "no-store"
    assert db_state() == before
    other_ip = Client(REMOTE_ADDR="10.0.0.2").get(_path(raw))
    assert other_ip.status_code == 200


def test_script_in_a_comment_shows_escaped_in_the_inbox_and_on_the_scores_page(
    maria_client: Client,
) -> None:
    _survey, raw = _link(_anne())
    _post(Client(), raw, _answer(comment=f"Nice {SCRIPT}"))

    for name in ("feedback:inbox", "feedback:scores"):
        html = maria_client.get(reverse(name)).content.decode()
        assert f"Nice {ESCAPED}" in html
        assert SCRIPT not in html


def test_a_link_for_an_unnamed_person_thanks_without_a_name() -> None:
    _survey, raw = _link(make_person(given_name="", family_name="Moss"))
    response = _post(Client(), raw, _answer())
    assert "<h1>Thank you!</h1>" in response.content.decode()


# The service


def test_the_service_answers_a_link_once() -> None:
    anne = _anne()
    _survey, raw = _link(anne)

    survey_answer(token=raw, thumbs_up=True, score=9, comment="")
    before = db_state()
    with pytest.raises(Conflict) as refused:
        survey_answer(token=raw, thumbs_up=False, score=1, comment="again")

    assert refused.value.message == ALREADY
    assert Feedback.objects.count() == 1
    assert db_state() == before


def test_of_two_racing_submissions_only_one_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second read the survey before the first was recorded: its conditional update touches
    no row, and its Feedback, touch and journey change are rolled back."""
    anne = _anne()
    _survey, raw = _link(anne)
    stale = Survey.objects.select_related("person").get()
    survey_answer(token=raw, thumbs_up=True, score=9, comment="first")
    before = db_state()
    monkeypatch.setattr(survey_answers, "survey_get_by_token", lambda **_kw: stale)

    with pytest.raises(Conflict):
        survey_answer(token=raw, thumbs_up=False, score=0, comment="second")

    assert db_state() == before
    assert list(Feedback.objects.values_list("text", flat=True)) == ["first"]


def test_the_service_refuses_expired_and_unknown_links_alike() -> None:
    survey, raw = _link(_anne(), valid_days=1)
    later = survey.expires_at + dt.timedelta(seconds=1)
    before = db_state()

    with pytest.raises(NotFound) as expired:
        survey_answer(token=raw, thumbs_up=True, score=9, comment="", now=later)
    with pytest.raises(NotFound) as unknown:
        survey_answer(token=raw + "x", thumbs_up=True, score=9, comment="")

    assert expired.value.message == unknown.value.message == INVALID
    assert db_state() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"score": True}, "score"),
        ({"thumbs_up": "yes"}, "thumbs_up"),
        ({"comment": "x" * 2001}, "comment"),
        ({"thumbs_up": None, "score": None, "comment": "  "}, "__all__"),
    ],
)
def test_the_service_checks_the_answer(fields: dict[str, Any], field: str) -> None:
    _survey, raw = _link(_anne())
    before = db_state()
    values: dict[str, Any] = {"thumbs_up": True, "score": 9, "comment": ""} | fields

    with pytest.raises(Invalid) as refused:
        survey_answer(token=raw, **values)

    assert list(refused.value.fields) == [field]
    assert db_state() == before


@pytest.mark.parametrize(
    ("thumbs_up", "score", "sentiment"),
    [
        (None, 10, "positive"),
        (None, 9, "positive"),
        (None, 8, "neutral"),
        (None, 7, "neutral"),
        (None, 6, "negative"),
        (None, 0, "negative"),
        (True, None, "positive"),
        (False, None, "negative"),
        (True, 8, "positive"),
        (False, 7, "negative"),
        (False, 10, "positive"),
        (True, 3, "negative"),
        (None, None, "neutral"),
    ],
)
def test_the_sentiment_follows_the_score_then_the_thumb(
    thumbs_up: bool | None, score: int | None, sentiment: str
) -> None:
    assert sentiment_of(thumbs_up, score) == sentiment


def test_a_low_score_does_not_make_an_advocate() -> None:
    anne = _anne()
    _purchase(anne)
    _survey, raw = _link(anne)

    survey_answer(token=raw, thumbs_up=None, score=8, comment="")

    journey = Journey.objects.get(person=anne)
    assert (journey.stage, journey.best_score) == ("first_time", 8)


def test_survey_tokens_are_hidden_in_log_lines() -> None:
    line = "Not Found: /s/Abc_-123/ and Forbidden (CSRF cookie not set.): /s/xyz/"
    assert redact(line) == "Not Found: /s/…/ and Forbidden (CSRF cookie not set.): /s/…/"
    assert redact("Not Found: /people/12/") == "Not Found: /people/12/"
    assert redact("Too Many Requests: /u/Tok3n/ and /p/Tok4n/") == (
        "Too Many Requests: /u/…/ and /p/…/"
    )
