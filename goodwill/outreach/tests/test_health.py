"""Health of the background work: outbox depth, the oldest queued message, overdue jobs, the
JSON of /healthz (no secrets) and the owners' banner."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.outreach.models import OutboxMessage, ScheduledJob
from goodwill.outreach.schedule.registry import Job, every
from goodwill.outreach.selectors.health import health, overdue_job_names, safe_error
from goodwill.outreach.services.outbox import message_enqueue

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    business_get()


def _job_named(name: str, description: str = "") -> Job:
    return Job(name=name, description=description, run=lambda now: None, next_after=every(60))


@pytest.fixture(autouse=True)
def registry(monkeypatch: pytest.MonkeyPatch) -> list[Job]:
    """The schedule as these tests see it: the reaper alone (tests add jobs to the list)."""
    registered = [_job_named("outbox.reap", "Put messages back in the queue.")]
    monkeypatch.setattr(
        "goodwill.outreach.selectors.health.jobs", lambda: sorted(registered, key=lambda j: j.name)
    )
    return registered


@pytest.fixture
def job(registry: list[Job]) -> Job:
    """A second, nightly job."""
    registry.append(_job_named("test.nightly", "Nightly test job"))
    return registry[-1]


def _row(name: str, next_run_at: dt.datetime, **fields: Any) -> ScheduledJob:
    return ScheduledJob.objects.create(name=name, next_run_at=next_run_at, **fields)


def _message(n: int, **fields: Any) -> OutboxMessage:
    return message_enqueue(
        actor=None,
        kind="internal",
        recipients=[f"guest{n}@example.com"],
        subject=f"Your agenda {n}",
        body_text="Hello",
        idempotency_key=f"test-{n}",
        **fields,
    )


def _set_state(message: OutboxMessage, state: str, **fields: Any) -> None:
    # The worker's results, without running a worker.
    OutboxMessage.objects.filter(pk=message.pk).update(state=state, **fields)


def _joined(user: User, at: dt.datetime) -> None:
    User.objects.filter(pk=user.pk).update(date_joined=at)
    user.refresh_from_db()


def _job(facts: Any, name: str) -> Any:
    return next(j for j in facts.jobs if j.name == name)


def test_an_empty_outbox_and_a_fresh_install_are_ok() -> None:
    facts = health(NOW)
    assert facts.outbox == {"queued": 0, "sending": 0, "sent": 0, "failed": 0, "held": 0}
    assert facts.oldest_queued_at is None
    assert facts.oldest_queued_age_s is None
    assert [j.name for j in facts.jobs] == ["outbox.reap"]
    assert _job(facts, "outbox.reap").never_run is True
    assert facts.status == "ok"


def test_outbox_depth_counts_every_state_and_the_oldest_queued() -> None:
    first = _message(1)
    for n in range(2, 5):
        _message(n)
    _set_state(_message(5), "sent")
    _set_state(_message(6), "failed", last_error="550 no such user")
    _message(7, held_reason="no usable name")
    created = OutboxMessage.objects.get(pk=first.pk).created_at
    facts = health(created + dt.timedelta(seconds=90))
    assert facts.outbox == {"queued": 4, "sending": 0, "sent": 1, "failed": 1, "held": 1}
    assert facts.oldest_queued_at == created
    assert facts.oldest_queued_age_s == 90


def test_a_job_due_more_than_an_hour_ago_is_overdue(job: Job) -> None:
    _row("test.nightly", NOW - HOUR - dt.timedelta(minutes=1), last_run_at=NOW - 2 * HOUR)
    _row("outbox.reap", NOW - dt.timedelta(minutes=59), last_run_at=NOW - HOUR)
    facts = health(NOW)
    assert _job(facts, "test.nightly").overdue is True
    assert _job(facts, "outbox.reap").overdue is False
    assert [j.name for j in facts.overdue_jobs] == ["test.nightly"]
    assert facts.status == "warning"


def test_a_job_that_never_ran_is_overdue_an_hour_after_the_first_user(bob: User) -> None:
    _joined(bob, NOW - dt.timedelta(minutes=59))
    assert health(NOW).status == "ok"
    _joined(bob, NOW - dt.timedelta(minutes=61))
    facts = health(NOW)
    reaper = _job(facts, "outbox.reap")
    assert (reaper.never_run, reaper.overdue, reaper.last_run_at, reaper.next_run_at) == (
        True,
        True,
        None,
        None,
    )
    assert facts.status == "warning"


def test_rows_of_jobs_no_longer_registered_are_left_out() -> None:
    _row("gone.job", NOW - 10 * HOUR)
    facts = health(NOW)
    assert [j.name for j in facts.jobs] == ["outbox.reap"]
    assert facts.status == "ok"


def test_a_job_error_keeps_its_first_line_without_addresses() -> None:
    error = "SMTPRecipientsRefused: anne.w+vip@example.com refused <bob@ex.org>\nTraceback …"
    assert safe_error(error) == "SMTPRecipientsRefused: [email] refused <[email]>"
    assert safe_error("x" * 500) == "x" * 200
    assert safe_error("") == ""
    assert safe_error("\n\n  \n") == ""


def test_healthz_is_open_json_without_secrets(job: Job) -> None:
    message = _message(1)
    _message(2, held_reason="no usable name for guest2@example.com")
    _set_state(message, "failed", last_error="550 anne@example.com unknown")
    _row(
        "test.nightly",
        timezone.now() - 2 * HOUR,
        last_run_at=timezone.now() - 3 * HOUR,
        last_error="SMTPAuthenticationError: user owner@bnb.example password hunter2\nmore",
        last_error_at=timezone.now() - 3 * HOUR,
    )
    response = Client().get(reverse("outreach:healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "checked_at", "outbox", "oldest_queued", "jobs", "overdue_jobs"}
    assert body["status"] == "warning"
    assert body["outbox"] == {"queued": 0, "sending": 0, "sent": 0, "failed": 1, "held": 1}
    assert body["overdue_jobs"] == ["test.nightly"]
    nightly = next(j for j in body["jobs"] if j["name"] == "test.nightly")
    assert nightly["last_error"] == "SMTPAuthenticationError: user [email] password hunter2"
    assert set(nightly) == {
        "name",
        "description",
        "last_run_at",
        "next_run_at",
        "last_error",
        "last_error_at",
        "never_run",
        "overdue",
    }
    text = json.dumps(body)
    for secret in ("@example.com", "Your agenda", "owner@bnb", "usable name", "550", "more"):
        assert secret not in text
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr("goodwill.outreach.selectors.health.outbox_depth", broken)
    response = Client().get(reverse("outreach:healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "error": "database unavailable"}


def test_healthz_reads_few_rows(django_assert_max_num_queries: Any, bob: User) -> None:
    for n in range(5):
        _message(n)
    # outbox group-by, oldest queued, schedule rows, first user (a job never ran).
    with django_assert_max_num_queries(4):
        health()


# --- the banner -------------------------------------------------------------------------------


def test_overdue_names_cost_one_query_for_an_owner(
    alice: User, django_assert_num_queries: Any
) -> None:
    _joined(alice, NOW - 2 * HOUR)
    with django_assert_num_queries(1):
        assert overdue_job_names(NOW, alice) == ["outbox.reap"]
    _row("outbox.reap", NOW + HOUR)
    with django_assert_num_queries(1):
        assert overdue_job_names(NOW, alice) == []
    _row("test.late", NOW - 2 * HOUR)
    with django_assert_num_queries(1):
        assert overdue_job_names(NOW, alice) == []  # not registered


def test_a_job_that_never_ran_is_not_bannered_in_an_owners_first_hour(
    alice: User, django_assert_num_queries: Any
) -> None:
    _joined(alice, NOW - dt.timedelta(minutes=30))
    with django_assert_num_queries(1):
        assert overdue_job_names(NOW, alice) == []


def test_owners_see_a_banner_on_every_page_when_a_job_is_overdue(
    alice: User, alice_client: Client
) -> None:
    _row("outbox.reap", timezone.now() - 2 * HOUR)
    for url in (reverse("people:person_list"), reverse("accounts:settings")):
        page = alice_client.get(url)
        assert page.context["overdue_jobs"] == ["outbox.reap"]
        assert b'id="health-banner"' in page.content
        assert b"The scheduled job outbox.reap is overdue" in page.content
        assert b'href="/status/"' in page.content


def test_no_banner_when_the_jobs_are_on_time(alice_client: Client) -> None:
    _row("outbox.reap", timezone.now() + dt.timedelta(minutes=1))
    page = alice_client.get(reverse("people:person_list"))
    assert page.context["overdue_jobs"] == []
    assert b'id="health-banner"' not in page.content


@pytest.mark.parametrize("persona", ["maria", "bob"])
def test_only_owners_see_the_banner(persona: str, request: pytest.FixtureRequest) -> None:
    _row("outbox.reap", timezone.now() - 2 * HOUR)
    client = request.getfixturevalue(f"{persona}_client")
    page = client.get(reverse("people:person_list"))
    assert "overdue_jobs" not in page.context
    assert b'id="health-banner"' not in page.content


def test_the_banner_costs_anonymous_visitors_no_query(
    django_assert_num_queries: Any,
) -> None:
    from django.test import RequestFactory

    from goodwill.outreach.context_processors import health_banner

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert health_banner(request) == {}
