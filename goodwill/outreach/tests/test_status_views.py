"""The status page (owners and managers) and its message actions, every route × role, and
/healthz for everyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.core.tests.matrix import ROLES, Route, check_route, client_for, db_state, effect
from goodwill.outreach.models import OutboxMessage, ScheduledJob
from goodwill.outreach.schedule.registry import Job, every
from goodwill.outreach.services.outbox import message_enqueue

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _business(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    business_get()
    reaper = Job(
        name="outbox.reap", description="Reap leases", run=lambda now: None, next_after=every(60)
    )
    monkeypatch.setattr("goodwill.outreach.selectors.health.jobs", lambda: [reaper])


def _message(n: int, **fields: Any) -> OutboxMessage:
    return message_enqueue(
        actor=None,
        kind="internal",
        recipients=[f"guest{n}@example.com"],
        subject=f"Agenda {n} {SCRIPT}",
        body_text="Hello",
        idempotency_key=f"status-{n}",
        **fields,
    )


def _failed(n: int, error: str) -> OutboxMessage:
    message = _message(n)
    # What a worker records after a 5xx reply (no worker runs in these tests).
    OutboxMessage.objects.filter(pk=message.pk).update(state="failed", last_error=error)
    return OutboxMessage.objects.get(pk=message.pk)


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "held": _message(1, held_reason=f"no usable name {SCRIPT}"),
        "failed": _failed(2, f"550 mailbox unavailable {SCRIPT}"),
    }


def _url(name: str, key: str | None = None) -> Any:
    if key is None:
        return lambda w: reverse(f"outreach:{name}")
    return lambda w: reverse(f"outreach:{name}", args=[w[key].pk])


def _state(key: str) -> Any:
    return lambda w, _u: OutboxMessage.objects.get(pk=w[key].pk).state


MANAGERS = (403, 302, 302)
ROUTES = [
    Route("status", "get", _url("status"), (403, 200, 200)),
    Route("status", "post", _url("status"), (405, 405, 405)),
    Route("message_release", "get", _url("message_release", "held"), (405, 405, 405)),
    Route(
        "message_release",
        "post",
        _url("message_release", "held"),
        MANAGERS,
        audit="outbox.release",
        check=effect(_state("held"), "queued"),
    ),
    Route("message_retry", "get", _url("message_retry", "failed"), (405, 405, 405)),
    Route(
        "message_retry",
        "post",
        _url("message_retry", "failed"),
        MANAGERS,
        audit="outbox.retry",
        check=effect(_state("failed"), "queued"),
    ),
    Route("message_cancel", "get", _url("message_cancel", "held"), (405, 405, 405)),
    Route(
        "message_cancel",
        "post",
        _url("message_cancel", "held"),
        MANAGERS,
        audit="outbox.cancel",
        check=effect(_state("held"), "failed"),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


@pytest.mark.parametrize("role", ROLES)
def test_healthz_is_open_to_everyone(role: str, world: dict[str, Any]) -> None:
    client = client_for(role, world)
    before = db_state()
    response = client.get(reverse("outreach:healthz"))
    assert response.status_code == 200
    assert response.json()["outbox"]["held"] == 1
    assert client.post(reverse("outreach:healthz")).status_code == 405
    assert db_state() == before


def test_every_status_url_is_tested() -> None:
    from goodwill.outreach.views.status_urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in ROUTES} | {"healthz"}


def test_the_status_page_shows_jobs_outbox_and_problems(
    world: dict[str, Any], maria_client: Client
) -> None:
    ScheduledJob.objects.create(
        name="outbox.reap",
        next_run_at=timezone.now() - dt.timedelta(hours=2),
        last_run_at=timezone.now() - dt.timedelta(hours=3),
        last_error=f"Boom {SCRIPT} for anne@example.com\nTraceback",
    )
    page = maria_client.get(reverse("outreach:status"))
    assert page.status_code == 200
    facts = page.context["health"]
    assert facts.status == "warning"
    assert [m.pk for m in page.context["problems"]] == [world["failed"].pk, world["held"].pk]
    html = page.content.decode()
    assert SCRIPT not in html
    assert "Agenda 1 &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "no usable name &lt;script&gt;" in html
    assert "550 mailbox unavailable &lt;script&gt;" in html
    assert "guest2@example.com" in html
    assert "Boom &lt;script&gt;alert(1)&lt;/script&gt; for [email]" in html
    assert "Traceback" not in html
    assert '<dd id="outbox-held">1</dd>' in html
    assert "overdue" in html


def test_a_job_that_never_ran_says_so(alice_client: Client) -> None:
    page = alice_client.get(reverse("outreach:status"))
    assert b"never run" in page.content
    assert b"No failed or held messages." in page.content


def test_the_right_buttons_for_each_state(world: dict[str, Any], alice_client: Client) -> None:
    html = alice_client.get(reverse("outreach:status")).content.decode()
    held, failed = world["held"].pk, world["failed"].pk
    assert reverse("outreach:message_release", args=[held]) in html
    assert reverse("outreach:message_cancel", args=[held]) in html
    assert reverse("outreach:message_retry", args=[failed]) in html
    assert reverse("outreach:message_retry", args=[held]) not in html
    assert reverse("outreach:message_release", args=[failed]) not in html


def test_retrying_a_held_message_is_a_conflict(world: dict[str, Any], maria_client: Client) -> None:
    before = db_state()
    response = maria_client.post(reverse("outreach:message_retry", args=[world["held"].pk]))
    assert response.status_code == 409
    assert db_state() == before


def test_an_unknown_message_is_404(world: dict[str, Any], maria_client: Client) -> None:
    before = db_state()
    response = maria_client.post(reverse("outreach:message_release", args=[999999]))
    assert response.status_code == 404
    assert db_state() == before


@pytest.mark.parametrize("name", ["message_release", "message_cancel"])
def test_the_actions_need_the_csrf_token(name: str, world: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["alice"])
    before = db_state()
    assert client.post(reverse(f"outreach:{name}", args=[world["held"].pk])).status_code == 403
    assert db_state() == before


def test_managers_find_the_status_page_in_the_settings(maria_client: Client) -> None:
    page = maria_client.get(reverse("accounts:settings"))
    assert reverse("outreach:status").encode() in page.content
