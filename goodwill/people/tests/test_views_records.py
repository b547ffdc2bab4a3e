"""Web pages for editing relationships, archiving and deleting organisations, dissolving homes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get
from goodwill.core.tests.matrix import db_state
from goodwill.people.models import Household, Membership, Organisation, Person, Relationship
from goodwill.people.services import (
    household_create,
    membership_set,
    organisation_archive,
    organisation_create,
    person_create,
    relationship_create,
)


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    """The business profile exists before any snapshot (pages create it on first use)."""
    business_get()


def _couple() -> tuple[Person, Person, Relationship]:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    jack = person_create(actor=None, given_name="Jack", family_name="Harris").person
    return ann, jack, relationship_create(actor=None, person=jack, other=ann, kind="spouse")


def _godmother() -> tuple[Person, Relationship]:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    mae = person_create(actor=None, given_name="Mae", family_name="Lee").person
    rel = relationship_create(
        actor=None, person=mae, other=ann, kind="custom", custom_label="godmother"
    )
    return ann, rel


def _edit_url(person: Person, rel: Relationship) -> str:
    return reverse("people:relationship_edit", args=[person.pk, rel.pk])


# Relationships


def test_a_wedding_date_set_on_one_page_shows_on_both(bob_client: Client, bob: User) -> None:
    ann, jack, rel = _couple()
    response = bob_client.post(
        _edit_url(ann, rel), {"since": "2012-06-30", "notes": "Married at the mill"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[ann.pk]) + "#relationships"
    rel.refresh_from_db()
    assert (rel.since, rel.notes, rel.kind) == (
        dt.date(2012, 6, 30),
        "Married at the mill",
        "spouse",
    )
    assert AuditEntry.objects.filter(action="relationship.update", actor=bob).count() == 2
    for person in (ann, jack):
        page = bob_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
        assert "spouse / partner · since June 30, 2012" in page
        assert "Married at the mill" in page
        assert _edit_url(person, rel) in page


def test_the_edit_page_shows_the_current_values_and_no_label_for_a_standard_kind(
    bob_client: Client,
) -> None:
    ann, _jack, rel = _couple()
    bob_client.post(_edit_url(ann, rel), {"since": "2012-06-30"})
    response = bob_client.get(_edit_url(ann, rel))
    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["since", "notes"]
    html = response.content.decode()
    assert "Jack Harris, spouse / partner" in html
    assert 'value="2012-06-30"' in html


def test_a_label_sent_for_a_standard_kind_is_ignored(bob_client: Client) -> None:
    ann, _jack, rel = _couple()
    response = bob_client.post(_edit_url(ann, rel), {"custom_label": "ex", "since": ""})
    assert response.status_code == 302
    rel.refresh_from_db()
    assert (rel.kind, rel.custom_label, rel.since) == ("spouse", "", None)


def test_a_custom_relationship_can_be_relabelled(bob_client: Client) -> None:
    ann, rel = _godmother()
    response = bob_client.post(_edit_url(ann, rel), {"custom_label": " godparent ", "since": ""})
    assert response.status_code == 302
    rel.refresh_from_db()
    assert rel.custom_label == "godparent"
    page = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert 'Mae Lee</a>\n      <span class="muted">godparent' in page


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"custom_label": "  ", "since": ""}, {"custom_label": ["Give the relationship a label."]}),
        (
            {"custom_label": "godmother", "since": "30 Jun"},
            {"since": ["Enter a valid date."]},
        ),
        (
            {"custom_label": "mentor", "since": ""},
            {"custom_label": ["These two people already have a relationship with this label."]},
        ),
    ],
)
def test_bad_relationship_edits_are_shown_on_their_field_and_nothing_is_written(
    bob_client: Client, data: dict[str, str], errors: dict[str, list[str]]
) -> None:
    ann, rel = _godmother()
    relationship_create(
        actor=None, person=rel.from_person, other=ann, kind="custom", custom_label="mentor"
    )
    before = db_state()
    response = bob_client.post(_edit_url(ann, rel), data)
    assert response.status_code == 422
    assert response.context["form"].errors == errors
    assert b"Mae Lee, godmother" in response.content
    assert b'aria-invalid="true"' in response.content
    assert db_state() == before


def test_a_relationship_is_edited_only_from_one_of_its_peoples_pages(bob_client: Client) -> None:
    _ann, _jack, rel = _couple()
    stranger = person_create(actor=None, given_name="Zed", family_name="Other").person
    before = db_state()
    response = bob_client.post(_edit_url(stranger, rel), {"since": "2012-06-30"})
    assert response.status_code == 404
    assert db_state() == before


# Organisations


def _acme() -> tuple[Organisation, Person]:
    org = organisation_create(actor=None, name="Acme")
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    membership_set(actor=None, person=ann, organisation=org, job_title="Chef")
    return org, ann


def _listed(client: Client) -> list[str]:
    return [o.name for o in client.get(reverse("people:organisation_list")).context["page"].items]


def test_a_manager_archives_an_organisation_hidden_from_the_list_for_everyone(
    maria_client: Client, bob_client: Client, maria: User
) -> None:
    org, _ann = _acme()
    detail = reverse("people:organisation_detail", args=[org.pk])
    response = maria_client.post(reverse("people:organisation_archive", args=[org.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail
    org.refresh_from_db()
    assert org.archived_at is not None
    assert AuditEntry.objects.filter(action="organisation.archive", actor=maria).count() == 1
    assert _listed(maria_client) == []
    assert _listed(bob_client) == []
    page = maria_client.get(detail)
    assert page.status_code == 200
    assert b'class="tag archived"' in page.content
    assert reverse("people:organisation_restore", args=[org.pk]).encode() in page.content
    assert bob_client.get(detail).status_code == 404


def test_a_manager_restores_an_archived_organisation(maria_client: Client) -> None:
    org, _ann = _acme()
    organisation_archive(actor=None, organisation=org)
    response = maria_client.post(reverse("people:organisation_restore", args=[org.pk]), follow=True)
    assert b"Acme restored." in response.content
    org.refresh_from_db()
    assert org.archived_at is None
    assert _listed(maria_client) == ["Acme"]


def test_staff_neither_see_nor_use_archive_and_delete(bob_client: Client) -> None:
    org, _ann = _acme()
    page = bob_client.get(reverse("people:organisation_detail", args=[org.pk])).content.decode()
    assert reverse("people:organisation_archive", args=[org.pk]) not in page
    assert reverse("people:organisation_delete", args=[org.pk]) not in page
    before = db_state()
    assert bob_client.post(reverse("people:organisation_archive", args=[org.pk])).status_code == 403
    assert bob_client.post(reverse("people:organisation_delete", args=[org.pk])).status_code == 403
    assert db_state() == before


def test_an_owner_deletes_an_organisation_after_confirming_and_its_people_stay(
    alice_client: Client, maria_client: Client, alice: User
) -> None:
    org, ann = _acme()
    url = reverse("people:organisation_delete", args=[org.pk])
    detail = reverse("people:organisation_detail", args=[org.pk])
    assert url not in maria_client.get(detail).content.decode()
    assert url in alice_client.get(detail).content.decode()
    confirm = alice_client.get(url)
    assert confirm.status_code == 200
    assert b"Delete Acme?" in confirm.content
    assert Organisation.objects.count() == 1
    response = alice_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:organisation_list")
    assert Organisation.objects.count() == 0
    assert Membership.objects.count() == 0
    assert Person.objects.filter(pk=ann.pk).exists()
    assert AuditEntry.objects.filter(action="organisation.delete", actor=alice).count() == 1


def test_an_owner_can_delete_an_archived_organisation(alice_client: Client) -> None:
    org, _ann = _acme()
    organisation_archive(actor=None, organisation=org)
    response = alice_client.post(reverse("people:organisation_delete", args=[org.pk]))
    assert response.status_code == 302
    assert Organisation.objects.count() == 0


def test_a_missing_organisation_is_a_404_and_nothing_changes(alice_client: Client) -> None:
    before = db_state()
    for name in ("organisation_archive", "organisation_restore", "organisation_delete"):
        assert alice_client.post(reverse(f"people:{name}", args=[999])).status_code == 404
    assert db_state() == before


# Households


def test_a_manager_dissolves_a_household_after_confirming_and_its_members_stay(
    maria_client: Client, maria: User
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    home = household_create(actor=None, name="The Harrises", member_ids=[ann.pk])
    url = reverse("people:household_delete", args=[home.pk])
    page = maria_client.get(reverse("people:household_detail", args=[home.pk])).content.decode()
    assert url in page
    confirm = maria_client.get(url)
    assert confirm.status_code == 200
    assert b"Dissolve The Harrises?" in confirm.content
    assert Household.objects.count() == 1
    response = maria_client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("people:household_list"), 302)]
    assert b"The Harrises dissolved." in response.content
    assert Household.objects.count() == 0
    ann.refresh_from_db()
    assert ann.household_id is None
    assert AuditEntry.objects.filter(action="household.delete", actor=maria).count() == 1


def test_staff_cannot_dissolve_a_household(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    home = household_create(actor=None, name="The Harrises", member_ids=[ann.pk])
    url = reverse("people:household_delete", args=[home.pk])
    assert (
        url
        not in bob_client.get(reverse("people:household_detail", args=[home.pk])).content.decode()
    )
    before = db_state()
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url).status_code == 403
    assert db_state() == before
