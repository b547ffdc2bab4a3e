"""What each row of the people list shows (rows are built by ``people_tags.person_rows``)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from goodwill.accounts.models import User
from goodwill.people.services import (
    membership_set,
    organisation_create,
    person_archive,
    person_create,
    person_tag_add,
)

SCRIPT = "<script>alert(1)</script>"


def _row(html: str, name: str) -> str:
    """The ``<li>`` of the results list that links to ``name``."""
    rows = re.findall(r"<li>\s*<div class=\"row-main\">.*?</li>", html, flags=re.S)
    found = [row for row in rows if f">{name}</a>" in row]
    assert len(found) == 1, rows
    return found[0]


def test_a_row_shows_names_roles_tags_contacts_and_organisations(bob_client: Client) -> None:
    ann = person_create(
        actor=None,
        given_name="Ann",
        family_name="Harris",
        preferred_name="Annie",
        emails=["ann@example.com"],
        phones=["+1 902 555 0101"],
        roles=["guest", "supplier"],
    ).person
    person_tag_add(actor=None, person=ann, name="VIP & friends")
    membership_set(
        actor=None,
        person=ann,
        organisation=organisation_create(actor=None, name="Acme"),
        job_title="Buyer",
    )
    membership_set(
        actor=None, person=ann, organisation=organisation_create(actor=None, name="Bolt")
    )

    for params in ({}, {"q": "harris"}):
        row = _row(
            bob_client.get(reverse("people:person_list"), params).content.decode(), "Ann Harris"
        )
        assert f'href="{reverse("people:person_detail", args=[ann.pk])}"' in row
        assert "“Annie”" in row
        assert '<span class="tag">Guest / customer</span>' in row
        assert '<span class="tag">Supplier</span>' in row
        tag_url = reverse("people:person_list") + "?" + urlencode({"tag": "VIP & friends"})
        assert f'href="{tag_url.replace("&", "&amp;")}">VIP &amp; friends</a>' in row
        meta = re.search(r'<div class="meta">(.*?)</div>', row, flags=re.S)
        assert meta is not None
        assert meta.group(1).strip() == "ann@example.com · +1 902-555-0101 · Acme (Buyer) · Bolt"
        assert "archived" not in row


def test_a_row_with_only_a_phone_starts_with_the_phone(bob_client: Client) -> None:
    person_create(actor=None, given_name="Ben", family_name="Cole", phones=["+1 902 555 0102"])
    row = _row(bob_client.get(reverse("people:person_list")).content.decode(), "Ben Cole")
    assert '<div class="meta">+1 902-555-0102</div>' in row


def test_archived_rows_say_so_to_managers(alice: User, alice_client: Client) -> None:
    dee = person_create(actor=None, given_name="Dee", family_name="Long").person
    person_archive(actor=alice, person=dee)
    html = alice_client.get(reverse("people:person_list"), {"archived": "1"}).content.decode()
    assert '<span class="tag archived">archived</span>' in _row(html, "Dee Long")


def test_every_value_in_a_row_is_escaped(bob_client: Client) -> None:
    eve = person_create(
        actor=None,
        given_name="Eve",
        family_name="Stone",
        preferred_name=SCRIPT,
    ).person
    person_tag_add(actor=None, person=eve, name=SCRIPT)
    org = organisation_create(actor=None, name=SCRIPT)
    membership_set(actor=None, person=eve, organisation=org, job_title=SCRIPT)
    for params in ({}, {"q": "stone"}):
        html = bob_client.get(reverse("people:person_list"), params).content.decode()
        row = _row(html, "Eve Stone")
        assert SCRIPT not in row
        assert row.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
