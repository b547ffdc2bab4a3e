"""``goodwill campaign``: create, preview, send, redeem and list from the command line, with the
roles of ``--as`` and exit codes for refusals."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.tests.campaign_helpers import complete_footer, fan, make_offer, make_topic
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def offers() -> Topic:
    complete_footer()
    return make_topic()


def test_it_creates_previews_sends_and_redeems(offers: Topic, maria: User, bob: User) -> None:
    nora = fan(offers)
    make_person(given_name="Nick", emails=["nick@example.com"])
    offer = make_offer(offers)
    created = json.loads(
        run("campaign", "create", str(offer.pk), "--name", "Storms", "--as", "maria@example.com",
            "--json")
    )  # fmt: skip
    preview = json.loads(run("campaign", "preview", str(created["id"]), "--json"))
    assert [(r["person_id"], r["reason"]) for r in preview["recipients"]] == [
        (nora.pk, "Likes storm chasing")
    ]
    assert preview["excluded"]["no_relevance"] == 1
    assert OutboxMessage.objects.count() == 0

    sent = run("campaign", "send", str(created["id"]), "--as", "maria@example.com")
    assert sent.strip() == "Queued 1 messages; 0 held for review."
    code = CampaignRecipient.objects.get().code
    redeemed = run("campaign", "redeem", code, "--as", "bob@example.com")
    assert redeemed.strip() == f"{code} redeemed for Nora Lee."
    listed = run("campaign", "list")
    assert listed.strip() == f"{created['id']}\tqueued\t1\tStorms"


def test_staff_cannot_send_exit_4_and_nothing_is_queued(offers: Topic, bob: User) -> None:
    fan(offers)
    offer = make_offer(offers)
    created = json.loads(run("campaign", "create", str(offer.pk), "--name", "S", "--json"))
    with pytest.raises(CommandError) as caught:
        run("campaign", "send", str(created["id"]), "--as", "bob@example.com")
    assert caught.value.returncode == 4
    assert Campaign.objects.get().state == "draft"
    assert OutboxMessage.objects.count() == 0


def test_an_empty_audience_exits_2_saying_why(offers: Topic) -> None:
    offer = make_offer(offers)
    created = json.loads(run("campaign", "create", str(offer.pk), "--name", "S", "--json"))
    with pytest.raises(CommandError) as caught:
        run("campaign", "send", str(created["id"]))
    assert caught.value.returncode == 2
    assert str(caught.value) == "audience: No one to send to: nobody matched."
    assert OutboxMessage.objects.count() == 0


def test_an_unknown_code_exits_3(offers: Topic) -> None:
    with pytest.raises(CommandError) as caught:
        run("campaign", "redeem", "NOPE-1234")
    assert caught.value.returncode == 3
    assert str(caught.value) == "No offer has code NOPE-1234."
