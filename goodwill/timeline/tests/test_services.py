from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction
from goodwill.timeline.selectors import interaction_list_for_person
from goodwill.timeline.services import interaction_delete, interaction_log, interaction_update

pytestmark = pytest.mark.django_db


def test_a_quick_log_defaults_to_now_and_the_logger(bob: User) -> None:
    ann = make_person(bob)
    before = timezone.now()
    note = interaction_log(actor=bob, person=ann, kind="call", summary="  Asked about May dates ")
    assert note.summary == "Asked about May dates"
    assert note.staff == bob
    assert before <= note.occurred_at <= timezone.now()
    assert (note.direction, note.intent) == ("in_person", "neutral")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"kind": "telepathy"}, "kind"),
        ({"intent": "selling"}, "intent"),
        ({"occurred_at": dt.datetime(2026, 1, 1, 12, 0)}, "occurred_at"),
    ],
)
def test_bad_interactions_name_the_field_and_write_nothing(
    bob: User, fields: dict, field: str
) -> None:
    ann = make_person(bob)
    with pytest.raises(Invalid) as exc:
        interaction_log(actor=bob, person=ann, **{"kind": "note", "summary": "ok", **fields})
    assert list(exc.value.fields) == [field]
    assert Interaction.objects.count() == 0


def test_deactivated_users_cannot_log(charlie: User, bob: User) -> None:
    ann = make_person(bob)
    with pytest.raises(Forbidden):
        interaction_log(actor=charlie, person=ann, kind="note", summary="hi")
    assert Interaction.objects.count() == 0


def test_only_the_author_or_a_manager_corrects_or_deletes(
    bob: User, maria: User, alice: User
) -> None:
    ann = make_person(bob)
    other_staff = User.objects.create_user("dan@example.com", "a-long-test-password-42")
    note = interaction_log(actor=bob, person=ann, kind="note", summary="Loves the blue room")
    with pytest.raises(Forbidden):
        interaction_update(actor=other_staff, interaction=note, summary="changed")
    interaction_update(actor=bob, interaction=note, summary="Loves the blue room, quiet side")
    assert Interaction.objects.get().summary == "Loves the blue room, quiet side"
    with pytest.raises(Forbidden):
        interaction_delete(actor=bob, interaction=note)
    interaction_delete(actor=maria, interaction=note)
    assert Interaction.objects.count() == 0


def test_the_timeline_is_newest_first_in_keyset_pages(bob: User) -> None:
    ann = make_person(bob)
    start = timezone.now() - dt.timedelta(days=30)
    for day in range(7):
        interaction_log(
            actor=bob,
            person=ann,
            kind="visit",
            summary=f"day {day}",
            occurred_at=start + dt.timedelta(days=day // 2),
        )
    seen: list[str] = []
    cursor = None
    while True:
        page = interaction_list_for_person(user=bob, person=ann, cursor=cursor, limit=3)
        seen += [i.summary for i in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ["day 6", "day 5", "day 4", "day 3", "day 2", "day 1", "day 0"]


def test_a_timeline_cursor_without_a_time_zone_is_rejected(bob: User) -> None:
    from goodwill.core.pagination import encode_cursor

    ann = make_person(bob)
    for bad in (["2026-01-01T12:00:00", 5], ["yesterday", 5], ["2026-13-45T00:00:00+00:00", 5]):
        with pytest.raises(Invalid) as exc:
            interaction_list_for_person(user=bob, person=ann, cursor=encode_cursor(bad))
        assert list(exc.value.fields) == ["cursor"]


def test_a_touch_cannot_be_put_on_a_deactivated_colleague(bob: User, charlie: User) -> None:
    ann = make_person(bob)
    with pytest.raises(Invalid) as exc:
        interaction_log(actor=bob, person=ann, kind="call", summary="hi", staff=charlie)
    assert list(exc.value.fields) == ["staff"]
    assert Interaction.objects.count() == 0
