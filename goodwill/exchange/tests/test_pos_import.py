"""The point-of-sale import: matching people by each key, amounts, refunds, refused rows,
re-imports, dry runs, creating people, the timeline, follow-ups and journeys."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from goodwill.accounts.models import AuditEntry
from goodwill.commerce.models import Journey, LoyaltyNumber, Purchase
from goodwill.core.errors import Forbidden, Invalid
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.pos import pos_import_run
from goodwill.exchange.tests import pos_world
from goodwill.people.models import Person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


def _purchases() -> list[tuple[str, str, str, Decimal | None, str, str]]:
    rows = Purchase.objects.order_by("reference").values_list(
        "person__given_name", "reference", "kind", "amount", "currency", "source"
    )
    return list(rows)


def test_each_row_becomes_a_purchase_of_the_person_it_names(tmp_path, maria):
    pos_world.people()
    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path))
    assert (batch.kind, batch.state, batch.rows, batch.created, batch.skipped) == (
        "purchases",
        "done",
        10,
        5,
        2,
    )
    assert (batch.error_count, batch.people_created, batch.unchanged) == (3, 0, 0)
    assert _purchases() == [
        ("Cy", "B-8", "stay", Decimal("180.00"), "EUR", "pos"),
        ("Ann", "R-1", "purchase", Decimal("12.50"), "EUR", "pos"),
        ("Ben", "R-2", "purchase", Decimal("1250.00"), "EUR", "pos"),
        ("Ann", "R-3", "refund", Decimal("12.50"), "EUR", "pos"),
        ("Dee", "R-6", "purchase", Decimal("3.00"), "USD", "pos"),
    ]
    assert batch.errors == pos_world.ERRORS + pos_world.UNKNOWN
    assert set(Purchase.objects.values_list("source_detail", flat=True)) == {
        f"till.csv, import {batch.pk}"
    }


def test_bad_rows_are_refused_naming_line_and_column_and_nothing_of_them_is_stored(tmp_path, maria):
    pos_world.people()
    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path))
    assert batch.errors[:3] == pos_world.ERRORS
    assert not Purchase.objects.filter(reference__in=["R-4", "B-7", "R-5"]).exists()


def test_a_time_and_a_stay_are_stored_as_written(tmp_path, maria):
    pos_world.people()
    pos_import_run(actor=maria, path=pos_world.write(tmp_path))
    sale = Purchase.objects.get(reference="R-1")
    stay = Purchase.objects.get(reference="B-8")
    assert sale.occurred_at == dt.datetime(2024, 3, 5, 14, 30, tzinfo=dt.UTC)
    assert (stay.check_in, stay.check_out) == (dt.date(2024, 3, 1), dt.date(2024, 3, 3))
    assert stay.occurred_at == dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC)
    assert (sale.description, sale.category, sale.channel) == ("Produce box", "Grocery", "in_store")


def test_each_purchase_is_on_the_timeline_with_its_follow_up_date(tmp_path, maria):
    pos_world.people()
    pos_import_run(actor=maria, path=pos_world.write(tmp_path))
    sale = Purchase.objects.get(reference="R-1")
    stay = Purchase.objects.get(reference="B-8")
    refund = Purchase.objects.get(reference="R-3")
    assert sale.followup_due_at == dt.datetime(2024, 3, 8, 14, 30, tzinfo=dt.UTC)
    assert stay.followup_due_at == dt.datetime(2024, 3, 4, 12, tzinfo=dt.UTC)
    assert refund.followup_due_at is None
    assert Interaction.objects.count() == 5
    touch = Interaction.objects.get(pk=sale.interaction_id)
    assert (touch.person_id, touch.kind, touch.summary, touch.occurred_at, touch.staff) == (
        sale.person_id,
        "purchase",
        "Produce box · 12.50 EUR",
        sale.occurred_at,
        maria,
    )
    assert Interaction.objects.get(pk=refund.interaction_id).summary == (
        "Refund: Produce box · 12.50 EUR"
    )


def test_the_journeys_of_everyone_touched_are_brought_up_to_date(tmp_path, maria):
    world = pos_world.people()
    pos_import_run(actor=maria, path=pos_world.write(tmp_path))
    stages = dict(Journey.objects.values_list("person_id", "purchases"))
    assert stages == {world["ann"].pk: 1, world["ben"].pk: 1, world["cy"].pk: 1, world["dee"].pk: 1}


def test_one_audit_entry_per_chunk_names_the_batch(tmp_path, maria):
    pos_world.people()
    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path), chunk=4)
    entries = AuditEntry.objects.filter(action="purchase.import").order_by("id")
    assert [e.changes["purchases"] for e in entries] == [3, 1, 1]
    assert {e.changes["batch"] for e in entries} == {batch.pk}


def test_reimporting_the_same_file_creates_nothing_new(tmp_path, maria):
    pos_world.people()
    path = pos_world.write(tmp_path)
    pos_import_run(actor=maria, path=path)
    again = pos_import_run(actor=maria, path=path)
    assert (again.created, again.unchanged, again.skipped, again.error_count) == (0, 5, 2, 3)
    assert (Purchase.objects.count(), Interaction.objects.count()) == (5, 5)


def test_a_row_without_a_receipt_number_is_a_repeat_by_time_amount_and_description(tmp_path, maria):
    pos_world.people()
    text = pos_world.HEADER + (
        "2024-03-05 10:00,,Sale,Tea,,4.00,,ann@example.com,,,,,\n"
        "2024-03-05 10:00,,Sale,Tea,,4.00,,ann@example.com,,,,,\n"
        "2024-03-05 10:00,,Sale,Tea,,5.00,,ann@example.com,,,,,\n"
    )
    path = pos_world.write(tmp_path, text)
    first = pos_import_run(actor=maria, path=path)
    assert (first.created, first.unchanged) == (2, 1)
    assert first.warnings == [
        {"line": 3, "column": "", "message": "Same purchase as line 2; imported once."}
    ]
    again = pos_import_run(actor=maria, path=path)
    assert (again.created, again.unchanged, Purchase.objects.count()) == (0, 3, 2)


def test_unknown_people_are_created_with_the_option(tmp_path, maria):
    pos_world.people()
    path = pos_world.write(tmp_path)
    pos_import_run(actor=maria, path=path)
    batch = pos_import_run(actor=maria, path=path, create_people=True)
    assert (batch.created, batch.people_created, batch.unchanged, batch.skipped) == (1, 1, 5, 1)
    eve = Person.objects.get(given_name="Eve")
    assert (eve.family_name, eve.primary_email, eve.source, eve.source_detail) == (
        "Quinn",
        "eve@example.com",
        "imported",
        f"till.csv, import {batch.pk}",
    )
    assert list(eve.purchases.values_list("reference", flat=True)) == ["R-7"]
    assert batch.errors[3:] == pos_world.UNKNOWN[1:]
    assert Person.objects.filter(given_name="Sam").count() == 2


def test_a_created_person_is_created_once_and_keeps_their_loyalty_number(tmp_path, maria):
    text = pos_world.HEADER + (
        "2024-03-05,R-1,Sale,Tea,,4.00,,,,LC 77,Zoe Ray,,\n"
        "2024-03-06,R-2,Sale,Tea,,4.00,,,,LC-77,,,\n"
        "2024-03-07,R-3,Sale,Tea,,4.00,,,,,Zoe Ray,,\n"
        "2024-03-07,R-4,Sale,Tea,,4.00,,,,,,,\n"
    )
    batch = pos_import_run(
        actor=maria, path=pos_world.write(tmp_path, text), create_people=True, chunk=2
    )
    zoe = Person.objects.get()
    assert (batch.created, batch.people_created, batch.error_count) == (3, 1, 1)
    assert list(LoyaltyNumber.objects.values_list("person_id", "number")) == [(zoe.pk, "LC77")]
    assert batch.errors == [
        {
            "line": 5,
            "column": "customer",
            "message": "The row names no customer: give an email, phone, loyalty number or name.",
        }
    ]


def test_an_erased_persons_email_never_creates_them_again(tmp_path, maria):
    from goodwill.exchange.models import Suppression
    from goodwill.exchange.suppression import email_hash

    Suppression.objects.create(email_hash=email_hash("eve@example.com"))
    text = pos_world.HEADER + "2024-03-07,R-7,Sale,Wine,,20.00,,eve@example.com,,,Eve Quinn,,\n"
    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path, text), create_people=True)
    assert (batch.created, batch.people_created, Person.objects.count()) == (0, 0, 0)
    # Nothing of hers is written down again, not even in the report of the refused row.
    assert batch.errors == [
        {
            "line": 2,
            "column": "customer",
            "message": "The email is an erased person's; nobody is created and nothing is kept.",
        }
    ]


def test_a_dry_run_writes_nothing_but_counts_what_would_be(tmp_path, maria):
    pos_world.people()
    before = (Person.objects.count(), Interaction.objects.count(), AuditEntry.objects.count())
    batch = pos_import_run(
        actor=maria, path=pos_world.write(tmp_path), dry_run=True, create_people=True, chunk=3
    )
    assert (batch.state, batch.created, batch.people_created, batch.skipped) == (
        "dry-run",
        6,
        1,
        1,
    )
    assert Purchase.objects.count() == 0
    assert (Person.objects.count(), Interaction.objects.count(), AuditEntry.objects.count()) == (
        before
    )


def test_dates_are_read_day_first_with_the_option(tmp_path, maria):
    pos_world.people()
    text = pos_world.HEADER + "05/03/2024 2:30 PM,R-1,Sale,Tea,,4.00,,ann@example.com,,,,,\n"
    path = pos_world.write(tmp_path, text)
    pos_import_run(actor=maria, path=path, day_first=True)
    assert Purchase.objects.get().occurred_at == dt.datetime(2024, 3, 5, 14, 30, tzinfo=dt.UTC)
    Purchase.objects.all().delete()
    pos_import_run(actor=maria, path=path)
    assert Purchase.objects.get().occurred_at == dt.datetime(2024, 5, 3, 14, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("2024-03-05,R-1,Swap,Tea,,4.00", "Type", "Unknown type “Swap”; use sale, refund, "
         "return, stay or inquiry."),
        ("2024-03-05,R-1,Sale,Tea,,four", "Total", "“four” is not an amount."),
        ("2024-03-05,R-1,Refund,Tea,,", "Total", "A refund needs its amount."),
        ("2099-03-05,R-1,Sale,Tea,,4.00", "Date", "“2099-03-05” is not a date."),
        ("2024-03-05 25:00,R-1,Sale,Tea,,4.00", "Date", "“25:00” is not a time."),
        (",R-1,Sale,Tea,,4.00", "Date", "The row has no date."),
    ],
)  # fmt: skip
def test_a_row_that_cannot_be_read_is_refused_naming_its_column(
    tmp_path, maria, cells, column, message
):
    pos_world.people()
    text = pos_world.HEADER + cells + ",,ann@example.com,,,,,\n"
    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path, text))
    assert batch.errors == [{"line": 2, "column": column, "message": message}]
    assert Purchase.objects.count() == 0


def test_a_return_row_with_a_negative_amount_is_a_refund_of_its_absolute_value(tmp_path, maria):
    pos_world.people()
    text = pos_world.HEADER + "2024-03-05,R-9,Return,Tea,,(4.00),,ann@example.com,,,,,\n"
    pos_import_run(actor=maria, path=pos_world.write(tmp_path, text))
    assert list(Purchase.objects.values_list("kind", "amount")) == [("refund", Decimal("4.00"))]


def test_a_refund_with_the_sales_receipt_number_points_at_that_sale(tmp_path, maria):
    pos_world.people()
    text = pos_world.HEADER + (
        "2024-03-05,R-9,Sale,Tea,,4.00,,ann@example.com,,,,,\n"
        "2024-03-06,R-9,Refund,Tea,,4.00,,ann@example.com,,,,,\n"
        "2024-03-06,R-10,Refund,Jam,,2.00,,ann@example.com,,,,,\n"
    )
    pos_import_run(actor=maria, path=pos_world.write(tmp_path, text))
    sale = Purchase.objects.get(kind="purchase")
    refunds = dict(Purchase.objects.filter(kind="refund").values_list("reference", "refund_of"))
    assert refunds == {"R-9": sale.pk, "R-10": None}


def test_staff_cannot_import_purchases_and_nothing_changes(tmp_path, bob):
    pos_world.people()
    with pytest.raises(Forbidden):
        pos_import_run(actor=bob, path=pos_world.write(tmp_path))
    assert (Purchase.objects.count(), ImportBatch.objects.count()) == (0, 0)


def test_a_file_without_a_date_column_fails_naming_the_file(tmp_path, maria):
    path = pos_world.write(tmp_path, "Email,Total\nann@example.com,3.00\n")
    with pytest.raises(Invalid) as caught:
        pos_import_run(actor=maria, path=path)
    assert caught.value.fields["file"] == [
        "till.csv: no column says when (columns: Email, Total); map one to date."
    ]
    assert ImportBatch.objects.get().state == "failed"


def test_a_column_can_be_mapped_by_hand(tmp_path, maria):
    pos_world.people()
    path = pos_world.write(tmp_path, "When,Who,Paid\n2024-03-05,ann@example.com,3.00\n")
    batch = pos_import_run(
        actor=maria, path=path, mapping={"When": "date", "Who": "email", "Paid": "amount"}
    )
    assert batch.created == 1
    assert Purchase.objects.get().amount == Decimal("3.00")
