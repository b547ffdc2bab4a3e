"""A self-unsubscribe survives everything: a re-import, a merge, a staff or API opt-in; an
erased person's address stays unwritable even when someone adds them again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.services.merge import person_merge
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.suppression import suppressed
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ADDRESS = "nina@example.com"
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def offers() -> Topic:
    return topic_create(actor=None, name="Seasonal offers")


@pytest.fixture
def nina(offers: Topic, bob: User) -> Person:
    """Opted in by staff, then unsubscribed herself from every topic."""
    person = make_person(given_name="Nina", family_name="Vos", emails=[ADDRESS])
    consent_record(
        actor=bob, person=person, address=ADDRESS, basis="express", source="staff", at=T0
    )
    consent_record(
        actor=None,
        person=person,
        address=ADDRESS,
        basis="withdrawn",
        source="unsubscribe",
        at=T0 + dt.timedelta(days=1),
    )
    return person


def may_write(person: Person, topic: Topic) -> bool:
    return consent_status(person=person, address=ADDRESS, topic=topic).valid


def test_a_reimport_that_overwrites_her_details_keeps_her_unsubscribed(
    nina: Person, offers: Topic, alice: User, tmp_path: Path
) -> None:
    path = tmp_path / "guests.csv"
    path.write_text(f"First Name,Last Name,E-mail 1 - Value\nNina,Vos-Berg,{ADDRESS}\n", "utf-8")
    batch = import_run(actor=alice, path=path, dedupe="overwrite")
    assert (batch.created, batch.updated) == (0, 1)
    nina.refresh_from_db()
    assert nina.family_name == "Vos-Berg"
    assert not may_write(nina, offers)


def test_merging_her_into_a_subscribed_duplicate_keeps_the_address_unsubscribed(
    nina: Person, offers: Topic, maria: User, bob: User
) -> None:
    twin = make_person(given_name="Nina", family_name="Vos", emails=["nina.work@example.org"])
    consent_record(
        actor=bob, person=twin, address="nina.work@example.org", basis="express", source="staff"
    )
    survivor = person_merge(actor=maria, survivor=twin, other=nina)
    assert not may_write(survivor, offers)
    status = consent_status(person=survivor, address="nina.work@example.org", topic=offers)
    assert status.valid  # the other address's own opt-in is untouched


def test_a_staff_opt_in_after_her_unsubscribe_does_not_count_but_her_own_does(
    nina: Person, offers: Topic, bob: User
) -> None:
    consent_record(actor=bob, person=nina, address=ADDRESS, basis="express", source="staff")
    assert not may_write(nina, offers)
    consent_record(actor=None, person=nina, address=ADDRESS, basis="express", source="form")
    assert may_write(nina, offers)


def test_an_erased_address_stays_suppressed_when_someone_adds_her_again(
    nina: Person, alice: User
) -> None:
    person_erase(actor=alice, person=nina, confirm_name="Nina Vos")
    again = make_person(given_name="Nina", family_name="Again", emails=[ADDRESS])
    assert suppressed([again.primary_email, "someone@example.com"]) == {ADDRESS}


def test_merging_two_people_who_got_the_same_campaign_keeps_the_survivors_place(
    nina: Person, offers: Topic, maria: User
) -> None:
    from goodwill.outreach.models import Campaign, CampaignRecipient, Offer

    offer = Offer.objects.create(
        name="Spring", topic=offers, subject_template="Hi", body_template="Dear {{ given_name }},"
    )
    campaign = Campaign.objects.create(offer=offer, name="Spring 2026")
    twin = make_person(given_name="Nina", family_name="Vos", emails=["nina.work@example.org"])
    for person, code in ((nina, "SPR-A"), (twin, "SPR-B")):
        CampaignRecipient.objects.create(
            campaign=campaign, person=person, address=person.primary_email, reason="x", code=code
        )
    survivor = person_merge(actor=maria, survivor=twin, other=nina)
    kept = CampaignRecipient.objects.get(campaign=campaign)
    assert (kept.person_id, kept.code) == (survivor.pk, "SPR-B")
