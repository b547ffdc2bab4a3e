"""``goodwill merge``: the command line merges like the web, and refuses like it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.tests.matrix import db_state
from goodwill.exchange.tests.merge_world import birthday_of, make_beas, make_merge_world
from goodwill.occasions.models import OccasionTouch
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("merge", *args, stdout=out)
    return out.getvalue()


def test_it_merges_and_prints_what_moved() -> None:
    w = make_merge_world()
    history = AuditEntry.objects.filter(person_id=w.annie.pk).count()
    out = run(str(w.ann.pk), str(w.annie.pk))
    assert out == (
        f"Merged Annie Harris-Lee into Ann Harris (#{w.ann.pk}): audit_entries {history}, "
        "emails 1, household 1, interactions 3, interests 1, memberships 1, messages 1, "
        "occasions 1, phones 1, relationships 3, roles 1; birthday kept: 1980-04-12\n"
    )
    assert not Person.objects.filter(pk=w.annie.pk).exists()
    assert AuditEntry.objects.get(action="person.merge").actor_label == "command line"


def test_json_summary_and_fields_taken_from_the_other() -> None:
    w = make_merge_world()
    args = [str(w.ann.pk), str(w.annie.pk), "--take-other", "given_name", "--both-notes"]
    out = json.loads(run(*args, "--take-other", "family_name", "--json"))
    assert out["survivor_id"] == w.ann.pk
    assert (out["merged_id"], out["merged_name"]) == (w.annie.pk, "Annie Harris-Lee")
    assert out["moved"]["relationships"] == 3
    assert out["moved"]["interactions"] == 3
    w.ann.refresh_from_db()
    assert (w.ann.given_name, w.ann.family_name) == ("Annie", "Harris-Lee")
    assert w.ann.notes == "Likes the sea view.\n\nAllergic to nuts."


def test_staff_are_refused_with_exit_code_4_and_nothing_changes(bob: User) -> None:
    w = make_merge_world()
    before = db_state()
    with pytest.raises(CommandError) as exc:
        run(str(w.ann.pk), str(w.annie.pk), "--as", bob.email)
    assert exc.value.returncode == 4
    assert db_state() == before


def test_a_manager_may_merge(maria: User) -> None:
    w = make_merge_world()
    run(str(w.ann.pk), str(w.annie.pk), "--as", maria.email)
    assert AuditEntry.objects.get(action="person.merge").actor == maria


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{ann}", "{ann}"], "other_id: A person cannot be merged with themself."),
        (["{ann}", "999999"], "other_id: No such person."),
        (["999999", "{ann}"], "survivor_id: No such person."),
    ],
)
def test_bad_ids_exit_with_code_2_and_change_nothing(args: list[str], message: str) -> None:
    w = make_merge_world()
    ids = {"ann": w.ann.pk}
    before = db_state()
    with pytest.raises(CommandError) as exc:
        run(*[a.format(**ids) for a in args])
    assert (exc.value.returncode, str(exc.value)) == (2, message)
    assert db_state() == before


def test_take_other_birthday_keeps_the_others_date_and_both_histories() -> None:
    b = make_beas()
    out = json.loads(run(str(b.one.pk), str(b.two.pk), "--take-other", "birthday", "--json"))
    assert (out["birthday"], out["moved"]["occasions"]) == ("1981-06-06", 0)
    birthday = birthday_of(b.one)
    assert (birthday.date_label, birthday.note, birthday.lead_days) == (
        "1981-06-06",
        "Prefers a call",
        10,
    )
    touches = OccasionTouch.objects.filter(record__occasion=birthday)
    assert sorted(touches.values_list("summary", flat=True)) == ["10% off", "Roses", "Sang"]
    assert list(birthday.purchases.values_list("description", flat=True)) == ["Birthday cake"]


def test_by_default_the_survivors_birthday_is_kept_and_said_so() -> None:
    b = make_beas()
    out = run(str(b.one.pk), str(b.two.pk))
    assert out.endswith("; birthday kept: 1980-05-05\n")
    assert "occasions" not in out  # Bea Two's only occasion was her birthday: nothing added
    assert birthday_of(b.one).date_label == "1980-05-05"


def test_staff_may_not_take_the_others_birthday_and_nothing_changes(bob: User) -> None:
    b = make_beas()
    before = db_state()
    with pytest.raises(CommandError) as exc:
        run(str(b.one.pk), str(b.two.pk), "--take-other", "birthday", "--as", bob.email)
    assert exc.value.returncode == 4
    assert db_state() == before
