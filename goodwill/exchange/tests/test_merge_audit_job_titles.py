"""person_merge in an organisation both people are in: the survivor's job title is kept, an
empty one takes the other's, and a differing title of the other's is named in the audit."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.services.merge import person_merge
from goodwill.exchange.tests.merge_world import make_merge_world
from goodwill.outreach.models_touch import PersonTouchPolicy
from goodwill.outreach.services.touch_policy import person_touch_policy_set
from goodwill.people.models import Person
from goodwill.people.services import membership_set, organisation_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def titles(person: Person) -> list[tuple[str, str]]:
    return sorted(person.memberships.values_list("organisation__name", "job_title"))


def test_an_empty_title_takes_the_others_and_a_filled_one_is_kept(maria: User) -> None:
    ann = make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    anne = make_person(given_name="Anne", family_name="Lee", emails=["ann.lee@example.com"])
    acme = organisation_create(actor=None, name="Acme")
    shop = organisation_create(actor=None, name="Corner Shop")
    membership_set(actor=None, person=ann, organisation=acme, job_title="")
    membership_set(actor=None, person=ann, organisation=shop, job_title="Owner")
    membership_set(actor=None, person=anne, organisation=acme, job_title="Head of Sales")
    membership_set(actor=None, person=anne, organisation=shop, job_title="")
    person_merge(actor=maria, survivor=ann, other=anne)
    assert titles(ann) == [("Acme", "Head of Sales"), ("Corner Shop", "Owner")]
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["moved"][1]["job_titles"] == 1
    assert entry.changes["job_titles"] == [None, "Acme: Head of Sales"]
    assert "merged_job_titles" not in entry.changes


def test_the_others_differing_title_is_not_kept_but_named_in_the_audit(maria: User) -> None:
    w = make_merge_world()  # Ann is Acme's "Buyer", Annie its "Chief buyer"
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert titles(w.ann) == [("Acme", "Buyer"), ("Corner Shop", "Owner")]
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["merged_job_titles"] == ["Acme: Chief buyer", None]
    assert "job_titles" not in entry.changes["moved"][1]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_line_merge_of_an_import_keeps_the_title_and_the_limits(
    tmp_path: Path,
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "First Name,Last Name,Email,Company,Job Title\n"
        "Ann,Lee,ann@example.com,Acme,\n"
        "Anne,Lee,ann.lee@example.com,Acme,Head of Sales\n",
        encoding="utf-8",
    )
    run("import", str(path), "--json")
    ann = Person.objects.get(given_name="Ann")
    anne = Person.objects.get(given_name="Anne")
    person_touch_policy_set(actor=None, person=anne, long_max=1, long_days=90, note="Quarterly")
    out = json.loads(run("merge", str(ann.pk), str(anne.pk), "--json"))
    assert (out["moved"]["job_titles"], out["moved"]["touch_policy"]) == (1, 1)
    assert titles(ann) == [("Acme", "Head of Sales")]
    own = PersonTouchPolicy.objects.get()
    assert (own.person_id, own.long_max, own.long_days, own.note) == (ann.pk, 1, 90, "Quarterly")
