"""Survey scores: NPS and satisfaction by month, staff member and category, exact on a small
data set, on the managers' page and in the API."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get, business_update
from goodwill.commerce.services import purchase_log
from goodwill.core.errors import Forbidden, Invalid
from goodwill.core.tests.matrix import ROLES, Route, check_route
from goodwill.feedback.selectors.scores import ScoreRow, feedback_scores
from goodwill.feedback.services.survey_answers import survey_answer
from goodwill.feedback.services.surveys import survey_create
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import call, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person

SCORES = reverse("feedback:scores")
NOW = timezone.now()


@pytest.fixture(autouse=True)
def _setup(db: None) -> None:
    business_get()
    cache.clear()


def _month_start(back: int, zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    local = NOW.astimezone(zone)
    index = local.year * 12 + local.month - 1 - back
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=zone)


def _answer(
    person: Person,
    when: dt.datetime,
    *,
    staff: User | None = None,
    category: str | None = None,
    thumbs_up: bool | None = None,
    score: int | None = None,
    comment: str = "",
) -> None:
    """A survey answered at ``when``: about a purchase logged by ``staff`` in ``category``
    (no purchase when the category is None)."""
    purchase = None
    if category is not None:
        purchase = purchase_log(
            actor=staff, person=person, category=category, occurred_at=when - dt.timedelta(days=1)
        )
    _survey, raw = survey_create(actor=None, person=person, purchase=purchase)
    survey_answer(token=raw, thumbs_up=thumbs_up, score=score, comment=comment, now=when)


@pytest.fixture
def answers(bob: User, maria: User) -> None:
    """Six answers, five of them in the last 12 months: NPS 25, satisfaction 67."""
    this_month, last_month = NOW, _month_start(1) + dt.timedelta(days=1)
    _answer(make_person(given_name="Anne"), this_month, staff=bob, category="Restaurant",
            thumbs_up=True, score=10)  # fmt: skip
    _answer(make_person(given_name="Ben"), this_month, staff=maria, category="Rooms",
            thumbs_up=False, score=6)  # fmt: skip
    _answer(make_person(given_name="Fay"), this_month, staff=maria, category="Rooms", score=9)
    _answer(make_person(given_name="Cara"), last_month, staff=bob, category="", thumbs_up=True,
            score=8)  # fmt: skip
    _answer(make_person(given_name="Dan"), _month_start(2) + dt.timedelta(days=3), comment="Nice")
    _answer(make_person(given_name="Eve"), _month_start(12) + dt.timedelta(days=2), staff=bob,
            category="Restaurant", score=0)  # fmt: skip


def _figures(row: ScoreRow) -> tuple[Any, ...]:
    return (row.label, row.answers, row.scored, row.promoters, row.detractors, row.nps,
            row.thumbs, row.ups, row.satisfaction)  # fmt: skip


def test_the_figures_are_exact_in_all_and_by_month(answers: None, maria: User) -> None:
    scores = feedback_scores(user=maria, now=NOW)

    assert scores.since == _month_start(11)
    assert _figures(scores.total) == ("All", 5, 4, 2, 1, 25, 3, 2, 67)
    assert [r.key for r in scores.by_month] == [
        f"{_month_start(n).year:04d}-{_month_start(n).month:02d}" for n in range(11, -1, -1)
    ]
    assert [_figures(r)[1:] for r in scores.by_month[-3:]] == [
        (1, 0, 0, 0, None, 0, 0, None),
        (1, 1, 0, 0, 0, 1, 1, 100),
        (3, 3, 2, 1, 33, 2, 1, 50),
    ]
    assert [r.answers for r in scores.by_month[:-3]] == [0] * 9


def test_the_figures_are_exact_by_staff_member_and_by_category(answers: None, maria: User) -> None:
    scores = feedback_scores(user=maria, now=NOW)

    assert [_figures(r) for r in scores.by_staff] == [
        ("bob@example.com", 2, 2, 1, 0, 50, 2, 2, 100),
        ("maria@example.com", 2, 2, 1, 1, 0, 1, 0, 0),
        ("—", 1, 0, 0, 0, None, 0, 0, None),
    ]
    assert [_figures(r) for r in scores.by_category] == [
        ("Rooms", 2, 2, 1, 1, 0, 1, 0, 0),
        ("Restaurant", 1, 1, 1, 0, 100, 1, 1, 100),
        ("—", 2, 1, 0, 0, 0, 1, 1, 100),
    ]


def test_a_shorter_period_counts_only_its_months(answers: None, maria: User) -> None:
    scores = feedback_scores(user=maria, months=1, now=NOW)
    assert _figures(scores.total) == ("All", 3, 3, 2, 1, 33, 2, 1, 50)
    assert [r.label for r in scores.by_category] == ["Rooms", "Restaurant"]


def test_months_are_cut_at_midnight_where_the_business_is(maria: User) -> None:
    business_update(actor=None, time_zone="Pacific/Auckland")
    zone = zoneinfo.ZoneInfo("Pacific/Auckland")
    start = _month_start(0, zone)
    anne = make_person(given_name="Anne")
    _answer(anne, start, score=10)
    _answer(anne, start - dt.timedelta(seconds=1), score=0)

    scores = feedback_scores(user=maria, months=2, now=NOW)

    assert [(r.answers, r.nps) for r in scores.by_month] == [(1, -100), (1, 100)]


@pytest.mark.parametrize("months", [0, 25])
def test_the_period_is_one_to_24_months(maria: User, months: int) -> None:
    with pytest.raises(Invalid) as refused:
        feedback_scores(user=maria, months=months)
    assert refused.value.fields == {"months": ["Between 1 and 24."]}


def test_staff_may_not_see_scores(bob: User) -> None:
    with pytest.raises(Forbidden):
        feedback_scores(user=bob)


# The page


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    return {"alice": alice, "maria": maria, "bob": bob, "charlie": charlie}


ROUTES = [
    Route("scores", "get", lambda w: SCORES, (403, 200, 200)),
    Route("scores months", "get", lambda w: SCORES + "?months=3", (403, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_the_page_shows_each_table_with_its_figures(answers: None, maria_client: Client) -> None:
    html = maria_client.get(SCORES).content.decode()
    by_staff = html.split('id="by-staff"')[1].split("</section>")[0]
    by_category = html.split('id="by-category"')[1].split("</section>")[0]

    assert "NPS <strong>25</strong>" in html
    assert "Satisfaction <strong>67%</strong>" in html
    assert "5 answers" in html
    assert html.count('<th scope="row">') == 12 + 3 + 3
    assert '<th scope="row">bob@example.com</th>\n      <td class="num">2</td>' in by_staff
    assert '<th scope="row">Rooms</th>\n      <td class="num">2</td>' in by_category
    assert 'x="-100" y="0" width="200"' in html  # the NPS chart's track
    assert "Nice" in html.split('id="survey-comments"')[1]


def test_the_inbox_links_to_the_scores(maria_client: Client) -> None:
    html = maria_client.get(reverse("feedback:inbox")).content.decode()
    assert f'href="{SCORES}">Survey scores</a>' in html


@pytest.mark.parametrize("query", ["?months=abc", "?months=0", "?months=99"])
def test_a_bad_period_is_refused(maria_client: Client, query: str) -> None:
    assert maria_client.get(SCORES + query).status_code == 422


def test_the_page_reads_a_fixed_number_of_queries(
    maria: User, maria_client: Client, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _answer(make_person(given_name="First"), NOW, staff=maria, category="C0", score=9)
    with CaptureQueriesContext(connection) as few:
        maria_client.get(SCORES)
    for n in range(8):
        staff = maria if n % 2 else None
        _answer(make_person(given_name=f"P{n}"), NOW, staff=staff, category=f"C{n % 3}",
                score=n, comment=f"Remark {n}")  # fmt: skip
    with django_assert_num_queries(len(few)):
        maria_client.get(SCORES)


# The API


MATRIX = [
    ("feedback_scores", "get", "/api/v1/feedback/scores?months=12", None, (403, 200, 200)),
    ("feedback_scores", "get", "/api/v1/feedback/scores?months=0", None, (403, 422, 422)),
]

test_api_role_matrix = role_matrix_test(MATRIX)


def test_the_scores_operation_is_documented() -> None:
    assert "feedback_scores" in operation_ids("feedback")


def test_the_api_gives_the_same_figures(answers: None, tokens: dict[str, str | None]) -> None:
    response = call("get", "/api/v1/feedback/scores?months=12", tokens["maria"])

    body = response.json()
    assert response.status_code == 200
    assert body["months"] == 12
    assert body["total"] == {
        "key": "all",
        "label": "All",
        "answers": 5,
        "scored": 4,
        "promoters": 2,
        "detractors": 1,
        "nps": 25,
        "thumbs": 3,
        "thumbs_up": 2,
        "satisfaction": 67,
    }
    assert len(body["by_month"]) == 12
    assert [(r["label"], r["nps"], r["satisfaction"]) for r in body["by_staff"]] == [
        ("bob@example.com", 50, 100),
        ("maria@example.com", 0, 0),
        ("—", None, None),
    ]
    assert [(r["key"], r["answers"]) for r in body["by_category"]] == [
        ("Rooms", 2),
        ("Restaurant", 1),
        ("", 2),
    ]
