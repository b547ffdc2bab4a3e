"""``goodwill purchase`` and ``goodwill journey`` from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.commerce.models import Journey, Purchase
from goodwill.commerce.tests.factories import buy
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_logs_lists_and_removes_a_purchase(bob: User, maria: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")

    logged = json.loads(
        run("purchase", "log", str(anne.pk), "--amount", "12,50 €", "--what", "Produce box",
            "--as", "bob@example.com", "--json")
    )  # fmt: skip
    listed = run("purchase", "list", str(anne.pk), "--as", "bob@example.com")

    assert (logged["amount"], logged["currency"], logged["kind"]) == ("12.50", "EUR", "purchase")
    assert listed.strip().endswith("purchase\t12.50 EUR\tProduce box")
    with pytest.raises(CommandError) as refused:
        run("purchase", "remove", str(logged["id"]), "--as", "bob@example.com")
    assert refused.value.returncode == 4
    run("purchase", "remove", str(logged["id"]), "--as", "maria@example.com")
    assert Purchase.objects.count() == 0


def test_a_negative_amount_exits_2_naming_the_field(bob: User) -> None:
    anne = make_person()

    with pytest.raises(CommandError) as caught:
        run("purchase", "log", str(anne.pk), "--amount", "-3", "--as", "bob@example.com")

    assert caught.value.returncode == 2
    assert str(caught.value) == (
        "amount: A negative amount: log a refund instead, with a positive amount."
    )
    assert Purchase.objects.count() == 0


def test_journey_show_and_recompute(bob: User, maria: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")
    buy(anne, days=40)
    buy(anne, days=3)
    Journey.objects.all().delete()

    with pytest.raises(CommandError) as refused:
        run("journey", "recompute", "--as", "bob@example.com")
    done = json.loads(run("journey", "recompute", "--as", "maria@example.com", "--json"))
    shown = run("journey", "show", str(anne.pk), "--as", "bob@example.com")

    assert refused.value.returncode == 4
    assert done == {"people": 1, "changed": 1}
    assert shown.startswith("Anne Lee: returning. 2 purchases; the last on")
