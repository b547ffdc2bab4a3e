"""What a recipient's mail server receives from a campaign: each message delivered over SMTP to a
real loopback server, parsed with Python's ``email`` package, carries the list headers (one-click
unsubscribe over HTTPS, a mailto, List-Id) and a footer with a visible unsubscribe link, the
preference page, the business's name, postal address and another way to reach it."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.services.touch_policy import touch_policy_update
from goodwill.outreach.tests.campaign_helpers import complete_footer, fan, make_offer, make_topic
from goodwill.outreach.tests.smtp_sink import Sink, sink_fixture  # noqa: F401
from goodwill.outreach.worker import run

pytestmark = pytest.mark.django_db
SITE = "https://inn.example"


@pytest.fixture
def delivered(sink: Sink, settings: Any) -> dict[str, EmailMessage]:
    """A campaign to Nora and Zoë, queued the way a manager does it and sent by the worker;
    what the SMTP server received, parsed, by recipient."""
    settings.SITE_URL = SITE
    complete_footer()
    touch_policy_update(actor=None, quiet_start="00:00", quiet_end="00:00")  # no quiet hours
    topic = make_topic("Offers & news")
    fan(topic, "Nora")
    fan(topic, "Zoë", email="zoe@example.com")
    campaign_queue(
        actor=None, campaign=campaign_create(actor=None, offer=make_offer(topic), name="A")
    )
    assert run(stop_when_idle=True, schedule=False) == {"sent": 2}
    parsed = [
        email.message_from_bytes(m.content, policy=email.policy.default) for m in sink.messages
    ]
    return {str(m["To"]): m for m in parsed}  # type: ignore[misc]


def _links(message: EmailMessage) -> list[str]:
    return [part.strip().strip("<>") for part in str(message["List-Unsubscribe"]).split(",")]


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def test_each_message_is_addressed_to_its_person_with_its_stored_message_id(
    delivered: dict[str, EmailMessage],
) -> None:
    assert sorted(delivered) == ["nora.fan@example.com", "zoe@example.com"]
    stored = dict(OutboxMessage.objects.values_list("recipients__0", "message_id"))
    for address, message in delivered.items():
        assert message["Message-ID"] == stored[address]
        assert (
            message["Subject"] == f"A stormy weekend for {'Nora' if 'nora' in address else 'Zoë'}"
        )


def test_list_unsubscribe_offers_https_and_mailto_with_one_click(
    delivered: dict[str, EmailMessage],
) -> None:
    tokens = set()
    for message in delivered.values():
        https, mailto = _links(message)
        assert urlsplit(https)[:2] == ("https", "inn.example")
        _empty, u, token, _end = urlsplit(https).path.split("/")
        assert (u, len(token) >= 32) == ("u", True)
        assert mailto == f"mailto:unsubscribe@inn.example?subject=unsubscribe%20{token}"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"] == "Offers & news <offers-news.inn.example>"
        tokens.add(token)
    assert len(tokens) == 2  # every message its own link


def test_the_footer_shows_the_links_and_how_to_reach_the_business(
    delivered: dict[str, EmailMessage],
) -> None:
    message = delivered["zoe@example.com"]
    https, _mailto = _links(message)
    text = _text(message)
    assert text.startswith("Dear Zoë,\n\nA storm-chasing weekend, just for you: STORM-")
    footer = text.split("\n-- \n", 1)[1].splitlines()
    assert footer[0] == f"Unsubscribe: {https}"
    assert footer[1] == f"Choose what we send you: {https.replace('/u/', '/p/')}"
    assert footer[3:] == ["Harbour B&B", "1 Quay Street", "Lunenburg NS", "hello@harbour.example"]
    html = _html(message)
    assert f'<a href="{https}">Unsubscribe</a>' in html
    assert "<p>Harbour B&amp;B</p>" in html
    assert "1 Quay Street<br>Lunenburg NS" in html
    assert "hello@harbour.example" in html


def test_the_one_click_post_unsubscribes_and_the_next_message_is_not_sent(
    delivered: dict[str, EmailMessage], sink: Sink
) -> None:
    https, _mailto = _links(delivered["nora.fan@example.com"])
    response = Client().post(
        urlsplit(https).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    topic = Topic.objects.get()
    nora = OutboxMessage.objects.get(recipients__0="nora.fan@example.com").person
    status = consent_status(person=nora, address="nora.fan@example.com", topic=topic)
    assert (status.valid, status.reason.split(" on ")[0]) == (False, "Unsubscribed")
