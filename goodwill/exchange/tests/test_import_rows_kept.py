"""Nothing of a row is dropped without a word: a middle name joins the given name (goodwill
has no middle name), and an organisation, job title or interest too long to store is cut with
a warning naming its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.people.models import Membership, Person, PersonInterest

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, actor: User, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_run(actor=actor, path=path)


def test_a_middle_name_column_joins_the_given_name(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "guests.csv",
        "First Name,Middle Name,Last Name,Email\nJohn,Fitzgerald,Kennedy,jfk@example.com\n",
    )
    assert (batch.created, batch.warning_count) == (1, 0)
    assert list(Person.objects.values_list("given_name", "family_name")) == [
        ("John Fitzgerald", "Kennedy")
    ]


def test_a_cards_additional_names_join_the_given_name(tmp_path: Path, maria: User) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Harris;Ann;Beth,Carol;Dr.;\r\nEND:VCARD\r\n"
    _import(tmp_path, maria, "ann.vcf", card)
    assert list(Person.objects.values_list("given_name", "family_name")) == [
        ("Ann Beth Carol", "Harris")
    ]


def test_values_too_long_to_store_are_cut_and_listed(tmp_path: Path, maria: User) -> None:
    company, title, interest = "C" * 250, "T" * 200, "I" * 150
    batch = _import(
        tmp_path,
        maria,
        "guests.csv",
        f"First Name,Last Name,Company,Job Title,Labels\nAnn,Lee,{company},{title},{interest}\n",
    )
    assert batch.created == 1
    membership = Membership.objects.select_related("organisation").get()
    assert (membership.organisation.name, membership.job_title) == ("C" * 200, "T" * 150)
    assert PersonInterest.objects.get().interest.name == "I" * 100
    assert [(w["line"], w["column"], w["message"][:20]) for w in batch.warnings] == [
        (2, "Company", "Cut to 200 character"),
        (2, "Job Title", "Cut to 150 character"),
        (2, "Labels", "Cut to 100 character"),
    ]


@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        (
            "staff.csv",
            "First Name,Last Name,Email,Job Title\nJo,Tee,jo@example.com,Chef\n",
            "Job Title",
        ),
        (
            "jo.vcf",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Tee;Jo;;;\r\nFN:Jo Tee\r\nTITLE:Chef\r\n"
            "EMAIL:jo@example.com\r\nEND:VCARD\r\n",
            "TITLE",
        ),
    ],
)
def test_a_job_title_without_an_organisation_is_listed_as_left_out(
    tmp_path: Path, maria: User, name: str, text: str, column: str
) -> None:
    # goodwill keeps a job title with its organisation: with none in the row, it has nowhere
    # to go, and the report says so instead of dropping it without a word.
    batch = _import(tmp_path, maria, name, text)

    assert (batch.created, Membership.objects.count()) == (1, 0)
    assert [(w["column"], w["message"]) for w in batch.warnings] == [
        (column, "Job title Chef has no organisation in the row to go with; imported without it.")
    ]
