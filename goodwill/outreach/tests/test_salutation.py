"""The salutation gate (never "Dear valued customer"), the urgency words and the values a
template is rendered with."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.salutation import (
    body_greets_by_name,
    greeting_problem,
    is_urgent,
    person_values,
)
from goodwill.people.models import Person, Relationship
from goodwill.people.services.relationships import relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def problem(person: Person | list[Person], body: str) -> str:
    return greeting_problem(rendered_body=body, person=person)


def test_it_passes_a_greeting_with_the_persons_own_name() -> None:
    anna = make_person(given_name="Anna", emails=["anna@example.com"])
    assert problem(anna, "\n  Dear Anna,\n\nA gift for you.") == ""


def test_it_prefers_the_preferred_name() -> None:
    liz = make_person(given_name="Elizabeth", preferred_name="Liz")
    assert problem(liz, "Dear Liz,") == ""
    assert problem(liz, "Dear Elizabeth,") == "the greeting line does not say “Liz”"


def test_it_holds_a_person_without_a_given_name() -> None:
    nameless = make_person(given_name="", family_name="Harris")
    assert problem(nameless, "Dear ,\nHello") == "no given or preferred name"


@pytest.mark.parametrize("name", ["Customer", "valued customer", "GUEST", "Sir or Madam", "Mrs"])
def test_it_holds_a_generic_name(name: str) -> None:
    person = make_person(given_name=name)
    assert problem(person, f"Dear {name},") == f"“{name}” is not a name"


def test_it_holds_a_name_copied_from_the_email_address() -> None:
    person = make_person(given_name="jsmith", emails=["jsmith@example.com"])
    assert problem(person, "Dear jsmith,") == (
        "“jsmith” is only the first part of their email address"
    )


def test_a_capitalised_name_that_matches_the_address_is_still_a_name() -> None:
    anna = make_person(given_name="Anna", emails=["anna@example.com"])
    assert problem(anna, "Dear Anna,") == ""


def test_it_holds_an_initial() -> None:
    person = make_person(given_name="J.")
    assert problem(person, "Dear J.,") == "“J.” is only an initial"


def test_it_holds_a_greeting_that_says_valued_customer_even_with_a_name() -> None:
    anna = make_person(given_name="Anna")
    assert problem(anna, "Dear valued customer Anna,") == "the greeting says “valued customer”"


def test_the_name_must_be_on_the_first_line() -> None:
    anna = make_person(given_name="Anna")
    assert problem(anna, "Hello,\nAnna, this is for you") == "the greeting line does not say “Anna”"


def test_a_couple_passes_when_both_are_named() -> None:
    anna = make_person(given_name="Anna")
    ben = make_person(given_name="Ben")
    assert problem([anna, ben], "Dear Anna and Ben,") == ""
    assert problem([anna, ben], "Dear Anna,") == "the greeting line does not say “Ben”"


def test_a_couple_is_held_when_one_has_no_usable_name() -> None:
    anna = make_person(given_name="Anna")
    guest = make_person(given_name="Guest", family_name="Smith")
    assert problem([anna, guest], "Dear Anna and Guest,") == "Guest Smith: “Guest” is not a name"


@pytest.mark.parametrize(
    "subject",
    ["URGENT: your voucher", "Last chance for spring", "Today only!", "Act now", "Hurry!",
     "It expires today", "Don’t miss this", "final hours"],
)  # fmt: skip
def test_urgency_words_are_found_in_any_case(subject: str) -> None:
    assert is_urgent(subject) is True


@pytest.mark.parametrize(
    "subject", ["The insurgent's guide to tea", "A gift for your anniversary", "Chance meeting"]
)
def test_ordinary_subjects_are_not_urgent(subject: str) -> None:
    assert is_urgent(subject) is False


def test_a_template_must_greet_by_name_on_its_first_line() -> None:
    assert body_greets_by_name("\nDear {{preferred_name}},\nHi") is True
    assert body_greets_by_name("Dear {{ names }},") is True
    assert body_greets_by_name("Dear friend,\n{{ given_name }}") is False


def test_person_values_for_a_couples_anniversary() -> None:
    anna = make_person(given_name="Anna", family_name="Novak", preferred_name="Annie")
    ben = make_person(given_name="Ben", family_name="Novak")
    couple = relationship_create(actor=None, person=anna, other=ben, kind=Relationship.Kind.SPOUSE)
    occasion = occasion_create(
        actor=None, kind=Occasion.Kind.WEDDING, month=6, day=1, year=2016, relationship=couple
    )
    values = person_values(anna, occasion=occasion, year=2026, code="GIFT-1")
    assert {k: values[k] for k in ("preferred_name", "given_name", "family_name", "names")} == {
        "preferred_name": "Annie",
        "given_name": "Anna",
        "family_name": "Novak",
        "names": "Annie and Ben",
    }
    assert (values["occasion"], values["years"], values["offer_code"]) == (
        "wedding anniversary",
        "10",
        "GIFT-1",
    )


def test_person_values_leave_years_empty_when_the_year_is_unknown() -> None:
    anna = make_person(given_name="Anna")
    occasion = occasion_create(
        actor=None, kind=Occasion.Kind.ANNIVERSARY, month=3, day=2, label="first stay", person=anna
    )
    values = person_values(anna, occasion=occasion, year=dt.date(2026, 1, 1).year)
    assert (values["occasion"], values["years"], values["names"]) == (
        "first stay anniversary",
        "",
        "Anna",
    )
