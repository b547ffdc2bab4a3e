"""Sending a campaign in the background: Send on the page or the API answers at once with the
campaign "sending" and nothing queued yet; the ``outreach.campaigns`` job queues everyone, chunk
by chunk, showing how far it got; only one worker runs a campaign; a run that fails goes back
to draft with the error on the page, and Send again queues only the people still missing."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.services import business_update, user_update
from goodwill.outreach.jobs.campaigns import run as run_campaigns
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient
from goodwill.outreach.schedule import runner
from goodwill.outreach.services import campaign_sending
from goodwill.outreach.services.campaign_sending import LEASE, campaign_claim
from goodwill.outreach.services.campaigns import campaign_create, campaign_send
from goodwill.outreach.services.touch_policy import touch_policy_update
from goodwill.outreach.tests.campaign_helpers import complete_footer, fan, make_offer, make_topic
from goodwill.outreach.tests.smtp_sink import Sink, sink_fixture  # noqa: F401
from goodwill.outreach.worker.loop import run as run_worker
from goodwill.people.tests.api_helpers import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> Campaign:
    """A draft campaign whose audience is Nora, Zoë and Ian."""
    complete_footer()
    topic = make_topic()
    for given in ("Nora", "Zoë", "Ian"):
        fan(topic, given, email=f"{given[0].lower()}@example.com")
    return campaign_create(actor=None, offer=make_offer(topic), name="Storms")


def _send(client: Client, campaign: Campaign) -> Any:
    return client.post(reverse("outreach:campaign_send", args=[campaign.pk]), {"confirm": "on"})


def _page(client: Client, campaign: Campaign) -> str:
    return client.get(reverse("outreach:campaign_detail", args=[campaign.pk])).content.decode()


def test_send_answers_at_once_and_the_job_queues_everyone(
    draft: Campaign, maria: User, maria_client: Client
) -> None:
    response = _send(maria_client, draft)
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:campaign_detail", args=[draft.pk])
    assert OutboxMessage.objects.count() == 0
    draft.refresh_from_db()
    assert (draft.state, draft.queued_by, draft.send_total) == ("sending", maria, 3)
    page = _page(maria_client, draft)
    assert "Sending: 0 of 3 queued so far." in page
    assert '<meta http-equiv="refresh" content="3">' in page

    run_campaigns(timezone.now())

    draft.refresh_from_db()
    assert (draft.state, draft.queued_count, draft.send_done) == ("queued", 3, 3)
    assert OutboxMessage.objects.count() == 3
    assert CampaignRecipient.objects.filter(campaign=draft).count() == 3
    page = _page(maria_client, draft)
    assert "Sending:" not in page
    assert 'http-equiv="refresh"' not in page


def test_send_twice_is_refused_while_it_is_being_sent(
    draft: Campaign, maria_client: Client
) -> None:
    _send(maria_client, draft)
    again = maria_client.post(
        reverse("outreach:campaign_send", args=[draft.pk]), {"confirm": "on"}, follow=True
    )
    assert "This campaign is already being sent" in again.content.decode()
    assert Campaign.objects.get(pk=draft.pk).state == "sending"


def test_the_worker_of_goodwill_serve_queues_and_sends_it(
    draft: Campaign, maria_client: Client, sink: Sink
) -> None:
    touch_policy_update(actor=None, quiet_start="00:00", quiet_end="00:00")  # no quiet hours
    runner.ensure_rows()
    _send(maria_client, draft)
    counts = run_worker(stop_when_idle=True)
    assert counts == {"sent": 3}
    assert Campaign.objects.get(pk=draft.pk).state == "queued"
    assert sorted(m.rcpt_tos[0] for m in sink.messages) == [
        "i@example.com",
        "n@example.com",
        "z@example.com",
    ]


def test_two_workers_never_claim_the_same_campaign(draft: Campaign, maria: User) -> None:
    campaign_send(actor=maria, campaign=draft)
    first = campaign_claim(owner="worker-1")
    second = campaign_claim(owner="worker-2")
    assert first is not None
    assert first.pk == draft.pk
    assert second is None
    assert Campaign.objects.get(pk=draft.pk).lease_owner == "worker-1"


def test_a_campaign_whose_worker_stopped_is_taken_over_after_its_lease(
    draft: Campaign, maria: User
) -> None:
    campaign_send(actor=maria, campaign=draft)
    long_ago = timezone.now() - LEASE - dt.timedelta(seconds=1)
    assert campaign_claim(owner="dead", now=long_ago) is not None
    taken = campaign_claim(owner="alive")
    assert taken is not None
    assert taken.lease_owner == "alive"


def test_a_failing_run_goes_back_to_draft_showing_the_error_and_send_again_resumes(
    draft: Campaign, maria_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = campaign_sending.queue_chunk
    chunks: list[int] = []

    def flaky(batch: Any, chunk: list[Any]) -> None:
        chunks.append(len(chunk))
        if len(chunks) == 2:
            raise RuntimeError("the disk is full")
        real(batch, chunk)

    monkeypatch.setattr(campaign_sending, "CHUNK", 1)
    monkeypatch.setattr(campaign_sending, "queue_chunk", flaky)
    _send(maria_client, draft)
    with pytest.raises(RuntimeError):
        run_campaigns(timezone.now())

    draft.refresh_from_db()
    assert (draft.state, draft.send_done, draft.lease_owner) == ("draft", 1, "")
    assert "RuntimeError: the disk is full" in draft.send_error
    assert OutboxMessage.objects.count() == 1
    page = _page(maria_client, draft)
    assert "Sending stopped" in page
    assert "the disk is full" in page

    _send(maria_client, draft)
    run_campaigns(timezone.now())
    draft.refresh_from_db()
    assert (draft.state, draft.send_error, draft.queued_count) == ("queued", "", 3)
    assert OutboxMessage.objects.count() == 3
    assert "Sending stopped" not in _page(maria_client, draft)
    # The one queued before the failure is not counted as left out for its own touch.
    assert draft.excluded.get("budget", 0) == 0


def test_a_run_that_stopped_after_queueing_everyone_can_still_be_finished(
    draft: Campaign, maria_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kw: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(campaign_sending, "audit_record", broken)
    _send(maria_client, draft)
    with pytest.raises(RuntimeError):
        run_campaigns(timezone.now())
    assert Campaign.objects.get(pk=draft.pk).state == "draft"
    assert OutboxMessage.objects.count() == 3
    monkeypatch.undo()

    preview = maria_client.get(reverse("outreach:campaign_preview", args=[draft.pk]))
    assert reverse("outreach:campaign_send", args=[draft.pk]) in preview.content.decode()
    _send(maria_client, draft)
    run_campaigns(timezone.now())
    draft.refresh_from_db()
    assert (draft.state, draft.queued_count, draft.send_error) == ("queued", 3, "")
    assert OutboxMessage.objects.count() == 3


def test_a_footer_emptied_before_the_run_sends_nothing_and_says_why(
    draft: Campaign, maria_client: Client
) -> None:
    _send(maria_client, draft)
    business_update(actor=None, address="")
    run_campaigns(timezone.now())
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert (
        draft.send_error == "Add the business's postal address in Settings before sending offers."
    )
    assert OutboxMessage.objects.count() == 0


def test_a_manager_demoted_before_the_run_sends_nothing(
    draft: Campaign, maria: User, maria_client: Client
) -> None:
    _send(maria_client, draft)
    user_update(actor=None, user=maria, role=User.Role.STAFF)
    run_campaigns(timezone.now())
    draft.refresh_from_db()
    assert (draft.state, draft.send_error) == ("draft", "Your role does not allow this.")
    assert OutboxMessage.objects.count() == 0


def test_progress_is_kept_after_each_chunk(
    draft: Campaign, maria: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = campaign_sending.queue_chunk
    seen: list[tuple[int, int]] = []

    def watched(batch: Any, chunk: list[Any]) -> None:
        c = Campaign.objects.get(pk=draft.pk)
        seen.append((c.send_done, c.send_total))
        real(batch, chunk)

    monkeypatch.setattr(campaign_sending, "CHUNK", 1)
    monkeypatch.setattr(campaign_sending, "queue_chunk", watched)
    campaign_send(actor=maria, campaign=draft)
    run_campaigns(timezone.now())
    assert seen == [(0, 3), (1, 3), (2, 3)]
    assert Campaign.objects.get(pk=draft.pk).send_done == 3


def test_the_api_answers_202_then_get_shows_it_queued(
    draft: Campaign, tokens: dict[str, str | None]
) -> None:
    sent = call("post", f"/api/v1/campaigns/{draft.pk}/send", tokens["maria"])
    assert sent.status_code == 202
    assert (sent.json()["state"], sent.json()["send_done"], sent.json()["send_total"]) == (
        "sending",
        0,
        3,
    )
    assert OutboxMessage.objects.count() == 0
    run_campaigns(timezone.now())
    got = call("get", f"/api/v1/campaigns/{draft.pk}", tokens["maria"]).json()
    assert (got["state"], got["queued_count"], got["stats"]["queued"]) == ("queued", 3, 3)


def test_staff_cannot_send_from_the_api(draft: Campaign, tokens: dict[str, str | None]) -> None:
    response = call("post", f"/api/v1/campaigns/{draft.pk}/send", tokens["bob"])
    assert response.status_code == 403
    assert Campaign.objects.get(pk=draft.pk).state == "draft"
    run_campaigns(timezone.now())
    assert OutboxMessage.objects.count() == 0


def test_the_command_line_sends_in_the_foreground_with_progress(
    draft: Campaign, maria: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(campaign_sending, "CHUNK", 2)
    out, err = StringIO(), StringIO()
    call_command(
        "campaign", "send", str(draft.pk), "--as", "maria@example.com", stdout=out, stderr=err
    )
    assert out.getvalue().strip() == "Queued 3 messages; 0 held for review."
    assert err.getvalue().splitlines() == ["Queued 2 of 3…", "Queued 3 of 3…"]
    assert Campaign.objects.get(pk=draft.pk).state == "queued"
