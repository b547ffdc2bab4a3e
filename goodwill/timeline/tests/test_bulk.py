"""The bulk path for interactions validates like interaction_log and audits once per batch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.people.tests.factories import make_person
from goodwill.timeline.bulk import InteractionRow, interaction_bulk_log
from goodwill.timeline.models import Interaction


def _rows(person_id: int, n: int) -> list[InteractionRow]:
    when = timezone.now() - dt.timedelta(days=1)
    return [
        InteractionRow(person_id=person_id, kind="call", summary=f"Call {i}", occurred_at=when)
        for i in range(n)
    ]


def test_it_stores_every_row_with_one_audit_entry_per_batch(maria: User) -> None:
    person = make_person()

    assert interaction_bulk_log(actor=maria, rows=_rows(person.pk, 5), batch_size=2) == 5

    assert list(Interaction.objects.order_by("id").values_list("summary", "staff_id")) == [
        (f"Call {i}", maria.pk) for i in range(5)
    ]
    assert AuditEntry.objects.filter(action="interaction.bulk_log").count() == 3


def test_an_unknown_kind_names_the_row_and_field_and_writes_nothing(maria: User) -> None:
    person = make_person()
    rows = _rows(person.pk, 2)
    rows[1] = InteractionRow(
        person_id=person.pk, kind="fax", summary="x", occurred_at=timezone.now()
    )

    with pytest.raises(Invalid) as exc:
        interaction_bulk_log(actor=maria, rows=rows)

    assert exc.value.message == "row 1: kind: Unknown kind fax."
    assert Interaction.objects.count() == 0


def test_an_unknown_person_is_refused(maria: User) -> None:
    with pytest.raises(Invalid) as exc:
        interaction_bulk_log(actor=maria, rows=_rows(999999, 1))

    assert exc.value.fields == {"person_id": ["No such person."]}
    assert Interaction.objects.count() == 0


def test_staff_cannot_bulk_log(bob: User) -> None:
    person = make_person()

    with pytest.raises(Forbidden):
        interaction_bulk_log(actor=bob, rows=_rows(person.pk, 1))

    assert Interaction.objects.count() == 0
