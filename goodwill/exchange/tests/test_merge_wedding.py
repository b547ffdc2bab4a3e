"""Two duplicates tied to the same spouse with different wedding dates: the tie is kept once and
the manager chooses the date (survivor's by default) on the screen, in the API and the CLI; the
other date's history moves to the one kept."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.merge_preview import merge_preview
from goodwill.exchange.services.merge import person_merge
from goodwill.exchange.tests.merge_world import MergeWorld, make_merge_world
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Relationship
from goodwill.people.services import relationship_create
from goodwill.people.tests.api_helpers import call, token_for

pytestmark = pytest.mark.django_db
WEDDING = "wedding_anniversary"


@dataclass
class Couple:
    world: MergeWorld
    kept_tie: Relationship


@pytest.fixture
def couple() -> Couple:
    """Ann (survivor) and Annie (duplicate) are both married to Ben: 2001-09-03 and 2002-06-15;
    a gift was logged on Annie's date."""
    w = make_merge_world()
    tie = relationship_create(actor=None, person=w.ann, other=w.ben, kind="spouse")
    theirs = Relationship.objects.get(from_person=w.annie, to_person=w.ben)
    occasion_create(actor=None, kind=WEDDING, month=9, day=3, year=2001, relationship=tie)
    other = occasion_create(
        actor=None, kind=WEDDING, month=6, day=15, year=2002, relationship=theirs
    )
    occasion_touch_log(actor=None, occasion=other, year=2025, kind="gift", summary="Champagne")
    return Couple(world=w, kept_tie=tie)


def _wedding(c: Couple) -> tuple[int | None, str, list[str]]:
    (wedding,) = Occasion.objects.filter(kind=WEDDING)
    touches = OccasionTouch.objects.filter(record__occasion=wedding)
    return (
        wedding.relationship_id,
        wedding.date_label,
        list(touches.values_list("summary", flat=True)),
    )


def test_the_survivors_date_stays_by_default_with_both_histories(couple: Couple, maria: User):
    w = couple.world
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert _wedding(couple) == (couple.kept_tie.pk, "2001-09-03", ["Champagne"])
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["wedding"] == ["2001-09-03", "2001-09-03"]
    assert entry.changes["merged_wedding"] == ["2002-06-15", None]


def test_the_others_date_is_kept_when_chosen(couple: Couple, maria: User):
    w = couple.world
    person_merge(actor=maria, survivor=w.ann, other=w.annie, fields={"wedding": "other"})
    assert _wedding(couple) == (couple.kept_tie.pk, "2002-06-15", ["Champagne"])
    assert Relationship.objects.filter(kind="spouse", to_person=w.ben).count() == 1
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["wedding"] == ["2001-09-03", "2002-06-15"]


def test_the_screen_offers_the_choice_and_counts_the_tie_once(couple: Couple, maria: User):
    w = couple.world
    preview = merge_preview(user=maria, survivor=w.ann, other=w.annie)
    (choice,) = [f for f in preview.conflicts if f.name == "wedding"]
    assert (choice.survivor, choice.other) == ("2001-09-03", "2002-06-15")
    # Annie's ties: spouse of Ben (kept once), parent of Cleo, referred by Dan, friend of Dan
    # (Ann has that one too: kept once), sibling of Ann (disappears): two move.
    assert preview.moves["relationships"] == 2


def test_the_web_form_takes_the_others_date(couple: Couple, maria_client: Client):
    w = couple.world
    url = reverse("exchange:person_merge", args=[w.ann.pk])
    page = maria_client.get(url + f"?other={w.annie.pk}").content.decode()
    assert '<input type="radio" name="wedding" value="other"> 2002-06-15' in page
    response = maria_client.post(url, {"other": w.annie.pk, "wedding": "other"})
    assert response.status_code == 302
    assert _wedding(couple)[1] == "2002-06-15"


def test_the_api_takes_the_others_date(couple: Couple, maria: User):
    w = couple.world
    body = {"other_id": w.annie.pk, "fields": {"wedding": "other"}}
    response = call("post", f"/api/v1/people/{w.ann.pk}/merge", token_for(maria), body)
    assert response.status_code == 200
    assert _wedding(couple)[1] == "2002-06-15"


def test_the_command_takes_the_others_date_and_says_so(couple: Couple):
    w = couple.world
    out = io.StringIO()
    call_command("merge", str(w.ann.pk), str(w.annie.pk), "--take-other", "wedding", stdout=out)
    assert out.getvalue().rstrip().endswith("wedding kept: 2002-06-15")
    assert _wedding(couple)[1] == "2002-06-15"
