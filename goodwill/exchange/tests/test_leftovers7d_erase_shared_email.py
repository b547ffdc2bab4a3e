"""A couple sharing one address ("whitmans@…"): erasing one of them leaves the address usable
for the one who stays, and each keeps the messages linked to them alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.services.erase import person_erase
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.direct import direct_email_send
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.suppression import suppressed
from goodwill.people.models import Person, PersonPhone
from goodwill.people.services import person_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
SHARED = "whitmans@example.com"


@pytest.fixture
def jack(maria: User) -> Person:
    return make_person(
        actor=maria, given_name="Jack", family_name="Whitman", emails=["jack@own.example", SHARED]
    )


@pytest.fixture
def ann(maria: User) -> Person:
    return make_person(actor=maria, given_name="Ann", family_name="Whitman", emails=[SHARED])


def _marketing(person: Person, key: str, subject: str) -> OutboxMessage:
    return message_enqueue(
        actor=None,
        kind=OutboxMessage.Kind.MARKETING,
        recipients=[SHARED],
        subject=subject,
        body_text=f"Dear {person.given_name}",
        idempotency_key=key,
        person=person,
    )


def test_erasing_jack_suppresses_his_own_address_but_not_the_one_ann_holds(
    alice: User, jack: Person, ann: Person
) -> None:
    person_erase(actor=alice, person=jack, confirm_name="Jack Whitman")
    assert suppressed(["jack@own.example", SHARED]) == {"jack@own.example"}


def test_ann_can_still_be_emailed_one_to_one_after_jack_is_erased(
    alice: User, bob: User, jack: Person, ann: Person
) -> None:
    person_erase(actor=alice, person=jack, confirm_name="Jack Whitman")
    message = direct_email_send(
        actor=bob,
        person=Person.objects.get(pk=ann.pk),
        subject="Your May booking",
        body="Dear Ann, the room is ready.",
        intent="giving",
    )
    assert message.person_id == ann.pk
    assert message.recipients == [f"Ann <{SHARED}>"]


def test_re_importing_anns_row_after_jack_is_erased_updates_her(
    alice: User, jack: Person, ann: Person, tmp_path: Path
) -> None:
    person_erase(actor=alice, person=jack, confirm_name="Jack Whitman")
    path = tmp_path / "ann.csv"
    path.write_text(
        f"First Name,Last Name,E-mail Address,Notes\nAnn,Whitman,{SHARED},Prefers the Basin Room\n",
        encoding="utf-8",
    )
    batch = import_run(actor=alice, path=path)
    assert (batch.created, batch.updated, batch.skipped) == (0, 1, 0)
    assert Person.objects.get(pk=ann.pk).notes == "Prefers the Basin Room"


def test_the_erase_page_says_the_shared_address_stays_because_ann_holds_it(
    alice_client: Client, jack: Person, ann: Person
) -> None:
    page = alice_client.get(reverse("exchange:person_erase", args=[jack.pk])).content.decode()
    assert f"{SHARED} stays usable and is not suppressed: Ann Whitman still holds it." in page
    assert "jack@own.example stays usable" not in page


def test_the_erase_page_of_someone_sharing_nothing_lists_no_address(
    alice_client: Client, maria: User
) -> None:
    lone = make_person(actor=maria, given_name="Lone", family_name="Wolf", emails=["lw@x.example"])
    page = alice_client.get(reverse("exchange:person_erase", args=[lone.pk])).content.decode()
    assert 'id="erase-shared"' not in page


def test_anns_access_export_leaves_out_the_message_linked_to_jack(
    maria_client: Client, jack: Person, ann: Person
) -> None:
    _marketing(jack, "camp-jack", "Spring walks for Jack")
    _marketing(ann, "camp-ann", "Spring walks for Ann")
    url = reverse("exchange:person_access", args=[ann.pk]) + "?format=json"
    data = maria_client.get(url).json()
    assert [m["subject"] for m in data["messages"]] == ["Spring walks for Ann"]


def test_erasing_ann_keeps_jacks_own_message_and_takes_hers(
    alice: User, jack: Person, ann: Person
) -> None:
    jacks = _marketing(jack, "camp-jack", "Spring walks for Jack")
    _marketing(ann, "camp-ann", "Spring walks for Ann")
    person_erase(actor=alice, person=ann, confirm_name="Ann Whitman")
    assert list(OutboxMessage.objects.values_list("pk", "person_id")) == [(jacks.pk, jack.pk)]


def test_a_message_to_the_shared_address_linked_to_nobody_goes_with_either(
    alice: User, jack: Person, ann: Person
) -> None:
    message_enqueue(
        actor=None,
        kind=OutboxMessage.Kind.TRANSACTIONAL,
        recipients=[SHARED],
        subject="Your stay",
        body_text="Dear both",
        idempotency_key="stay-1",
    )
    person_erase(actor=alice, person=ann, confirm_name="Ann Whitman")
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_erased_persons_own_row_stays_out_through_the_shared_address(
    tmp_path: Path, alice: User, maria: User, dry_run: bool
) -> None:
    """Found in review: Jack's old row (the couple's address, his phone and birthday) matched
    Ann by the address she keeps, and gave her his phone. It is skipped and listed; Ann's own
    row of the same file still updates her."""
    ann = person_create(
        actor=None, given_name="Ann", family_name="Baker", emails=["bakers@example.com"]
    ).person
    jack = person_create(
        actor=None,
        given_name="Jack",
        family_name="Baker",
        emails=["bakers@example.com"],
        phones=["+19025550199"],
    ).person
    person_erase(actor=alice, person=jack, confirm_name="Jack Baker")
    path = tmp_path / "old.csv"
    path.write_text(
        "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Birthday\n"
        "Jack,Baker,BAKERS@example.com,902 555 0199,1970-05-04\n"
        "Ann,Baker,bakers@example.com,,1972-08-09\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path, dry_run=dry_run)
    assert (batch.created, batch.updated, batch.skipped) == (0, 1, 1)
    gone = "The row of someone who was erased: skipped, and nothing of it kept."
    assert [(w["line"], w["message"]) for w in batch.warnings] == [(2, gone)]
    assert not PersonPhone.objects.filter(e164="+19025550199").exists()
    assert Person.objects.filter(given_name="Jack").count() == 0
    if not dry_run:
        assert ann.occasions.get().month == 8  # her own row still updates her
