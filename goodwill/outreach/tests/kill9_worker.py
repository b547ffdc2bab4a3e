"""A helper process for the kill -9 test and the delivery bench, on the database its environment
names:

    python kill9_worker.py seed N          # N people who like storm chasing, a campaign queued
    python kill9_worker.py unsubscribe ID…  # those people press the unsubscribe link

``seed`` goes through the services a business uses: the people in bulk, a topic the business
writes about on legitimate interest (so nobody needs a ledger row), an offer relevant by the
interest, and ``campaign_queue``. Quiet hours are switched off so that the messages are due now.
"""

from __future__ import annotations

import os
import sys

NAMES = ["Ann", "Ben", "Cleo", "Dev", "Eva", "Finn", "Gus", "Hana", "Ida", "Jon", "Kai", "Lea"]


def seed(n: int) -> None:
    from goodwill.accounts.services import business_update
    from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
    from goodwill.outreach.services.consent import topic_create
    from goodwill.outreach.services.offers import offer_create
    from goodwill.outreach.services.touch_policy import touch_policy_update
    from goodwill.people.services import interest_get_or_create
    from goodwill.people.services.bulk import PersonRow, person_bulk_create

    business_update(
        actor=None,
        name="Harbour B&B",
        address="1 Quay Street\nLunenburg NS",
        contact_email="hello@harbour.example",
    )
    touch_policy_update(actor=None, quiet_start="00:00", quiet_end="00:00")
    topic = topic_create(actor=None, name="Offers", legitimate_interest=True)
    interest_get_or_create(name="storm chasing")
    rows = [
        PersonRow(
            given_name=NAMES[i % len(NAMES)],
            family_name=f"Lee{i}",
            emails=[f"guest{i}@example.com"],
            interests=["storm chasing"],
        )
        for i in range(n)
    ]
    person_bulk_create(actor=None, rows=rows)
    offer = offer_create(
        actor=None,
        name="Storm weekend",
        topic=topic,
        interests=["storm chasing"],
        subject_template="A stormy weekend for {{ preferred_name }}",
        body_template="Dear {{ preferred_name }},\n\nA storm-chasing weekend, just for you.",
    )
    campaign = campaign_queue(
        actor=None, campaign=campaign_create(actor=None, offer=offer, name="Storms")
    )
    print(campaign.queued_count, flush=True)  # noqa: T201


def unsubscribe(person_ids: list[int]) -> None:
    from goodwill.outreach.services.consent import consent_record
    from goodwill.people.models import Person

    for person in Person.objects.filter(pk__in=person_ids):
        consent_record(
            actor=None,
            person=person,
            address=person.primary_email,
            basis="withdrawn",
            source="unsubscribe",
            source_detail="kill -9 test",
        )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    import django

    django.setup()
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    elif sys.argv[1] == "unsubscribe":
        unsubscribe([int(arg) for arg in sys.argv[2:]])


if __name__ == "__main__":
    main()
