"""The morning digest: who gets it, what it says, once a day, at the business's digest time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.services import business_update
from goodwill.occasions.selectors.settings import business_today
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.services.settings import agenda_preference_set, occasion_settings_update
from goodwill.outreach.jobs.digest import JOB, send_digests
from goodwill.outreach.models import OutboxMessage
from goodwill.people.tests.factories import make_person


def _birthday_today(given_name: str = "Anne") -> None:
    today = business_today()
    person = make_person(given_name=given_name, family_name="Whitman")
    occasion_create(
        actor=None,
        kind="birthday",
        month=today.month,
        day=today.day,
        year=today.year - 40,
        person=person,
    )


def test_opted_in_users_get_todays_agenda_once_a_day(alice: User, bob: User, charlie: User) -> None:
    _birthday_today()
    agenda_preference_set(actor=None, user=alice, digest_email=True)
    agenda_preference_set(actor=None, user=charlie, digest_email=True)  # deactivated

    assert send_digests(timezone.now()) == 1
    assert send_digests(timezone.now()) == 1  # the job ran again the same day

    message = OutboxMessage.objects.get()
    assert message.recipients == ["alice@example.com"]
    assert message.kind == OutboxMessage.Kind.INTERNAL
    assert message.state == OutboxMessage.State.QUEUED
    assert "TODAY: Birthday — Anne (turns 40)" in message.body_text
    assert "http://127.0.0.1:8000/today/" in message.body_text
    assert message.idempotency_key == f"digest:{alice.pk}:{business_today().isoformat()}"


def test_nothing_is_sent_on_a_day_with_nothing_on_it(alice: User) -> None:
    agenda_preference_set(actor=None, user=alice, digest_email=True)
    assert send_digests(timezone.now()) == 0
    assert OutboxMessage.objects.count() == 0


def test_names_in_the_html_digest_are_escaped(alice: User) -> None:
    _birthday_today(given_name="<b>Anne</b>")
    agenda_preference_set(actor=None, user=alice, digest_email=True)
    send_digests(timezone.now())
    message = OutboxMessage.objects.get()
    assert "&lt;b&gt;Anne&lt;/b&gt;" in message.body_html
    assert "<b>Anne</b>" not in message.body_html
    assert "<b>Anne</b>" in message.body_text  # plain text carries the name as written


def test_the_digest_runs_at_the_digest_time_in_the_business_zone(alice: User) -> None:
    business_update(actor=None, time_zone="America/Halifax")
    occasion_settings_update(actor=None, digest_time=dt.time(7, 30))
    after = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)  # 08:00 in Halifax (UTC-4)
    assert JOB.next_after(after) == dt.datetime(2026, 11, 24, 11, 30, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 3, 0, tzinfo=dt.UTC)  # 00:00 in Halifax (UTC-3)
    assert JOB.next_after(summer) == dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC)
