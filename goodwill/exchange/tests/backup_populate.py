"""Fill a migrated database for the backup round-trip test: the demo business (people with
emails, phones and interests, organisations, a household, relationships, occasions with last
year's memory, interactions, users) plus API tokens, a calendar feed, outbox messages, a year
marked done and the audit entries all of these write."""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    import django

    django.setup()
    from goodwill.accounts.models import User
    from goodwill.accounts.services import token_create
    from goodwill.demo.loader import demo_load
    from goodwill.occasions.models import Occasion
    from goodwill.occasions.services.feeds import calendar_feed_create
    from goodwill.occasions.services.memory import occasion_mark_done
    from goodwill.outreach.models import OutboxMessage
    from goodwill.outreach.services.outbox import message_enqueue
    from goodwill.people.models import Person

    demo_load()
    owner = User.objects.filter(role=User.Role.OWNER).order_by("pk").first()
    assert owner is not None
    token_create(actor=None, user=owner, name="Round trip ☃")
    calendar_feed_create(actor=None, user=owner)
    person = Person.objects.exclude(emails=None).order_by("pk").first()
    for number in range(3):
        message_enqueue(
            actor=None,
            kind=OutboxMessage.Kind.INTERNAL,
            recipients=["zoë@example.com"],
            subject=f"Hello {number} — ünïcode",
            body_text="Line one\nLine two\ttabbed",
            idempotency_key=f"round-trip:{number}",
            person=person,
            headers={"X-Test": str(number)},
        )
    occasion = Occasion.objects.order_by("pk").first()
    assert occasion is not None
    occasion_mark_done(actor=owner, occasion=occasion, year=2020, note="Sent flowers")


if __name__ == "__main__":
    main()
