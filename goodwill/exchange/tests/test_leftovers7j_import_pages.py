"""The import pages as a manager sees them: cancelling only while it can be done, a dry run's
numbers told apart from a real run's, the link to the people an import touched, one status tag."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from goodwill.exchange import jobs
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.imports import import_claim

pytestmark = pytest.mark.usefixtures("data_dir")

CSV = "First Name,Last Name,Email\nAnna,Lee,anna@example.com\nBen,Stone,ben@example.com\n"
OPTIONS = {
    "dedupe": "update-empty",
    "possible_duplicates": "skip",
    "unmapped": "ignore",
    "categories": "interests",
    "column_0": "given_name",
    "column_1": "family_name",
    "column_2": "email",
}


def _upload(client: Client, text: str = CSV, name: str = "guests.csv") -> ImportBatch:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/imports/", {"file": SimpleUploadedFile(name, text.encode())})
    assert response.status_code == 302, response.content
    return ImportBatch.objects.latest("id")


def _queue(client: Client, batch: ImportBatch, **extra: str) -> ImportBatch:
    response = client.post(f"/imports/{batch.pk}/", {**OPTIONS, **extra})
    assert response.status_code == 302, response.content
    return ImportBatch.objects.latest("id")


def test_a_waiting_import_offers_cancel_inside_the_part_that_refreshes(maria_client):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    fragment = maria_client.get(f"/imports/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert f'<form method="post" action="/imports/{batch.pk}/cancel/" id="import-cancel">' in (
        fragment
    )
    assert "Cancel this import" in fragment


def test_a_running_import_no_longer_offers_cancel_on_the_page_or_its_refresh(maria_client):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    assert import_claim(owner="worker-1") == batch
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    fragment = maria_client.get(f"/imports/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert '<span class="tag" id="import-state">running</span>' in page
    assert "Cancel this import" not in page
    assert "Cancel this import" not in fragment


def test_a_refused_cancel_goes_back_to_the_import_page_with_the_reason(maria_client):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    import_claim(owner="worker-1")  # the worker takes it between the page and the click
    response = maria_client.post(f"/imports/{batch.pk}/cancel/", follow=True)
    assert response.redirect_chain == [(f"/imports/{batch.pk}/", 302)]
    page = response.content.decode()
    assert "Only an import that has not started can be cancelled." in page
    assert "<h1>Import of guests.csv</h1>" in page
    batch.refresh_from_db()
    assert (batch.state, batch.message) == ("running", "")


def test_a_waiting_import_is_still_cancelled_from_its_page(maria_client):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    response = maria_client.post(f"/imports/{batch.pk}/cancel/")
    assert response["Location"] == "/imports/"
    batch.refresh_from_db()
    assert (batch.state, batch.message) == ("failed", "Cancelled by maria@example.com.")


def test_staff_cannot_cancel_an_import(bob_client, maria_client):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    assert bob_client.post(f"/imports/{batch.pk}/cancel/").status_code == 403
    batch.refresh_from_db()
    assert batch.state == "pending"


def _row(page: str, batch: ImportBatch) -> str:
    start = page.index(f'<a href="/imports/{batch.pk}/">')
    return page[start : page.index("</tr>", start)]


def test_the_imports_list_tells_a_dry_runs_numbers_from_a_real_runs(maria_client):
    dry = _queue(maria_client, _upload(maria_client), check="1")
    jobs.run_imports(timezone.now())
    real = _queue(maria_client, dry, run="1")
    jobs.run_imports(timezone.now())
    page = maria_client.get("/imports/").content.decode()
    dry_row, real_row = _row(page, dry), _row(page, real)
    assert '<td class="muted">would create 2</td><td class="muted">would update 0</td>' in dry_row
    assert f'<a href="/imports/{real.pk}/">imported as import {real.pk}</a>' in dry_row
    assert "<td>2</td><td>0</td>" in real_row
    assert "would" not in real_row
    assert "imported as" not in real_row


def test_a_dry_run_not_yet_imported_links_nowhere(maria_client):
    dry = _queue(maria_client, _upload(maria_client), check="1")
    jobs.run_imports(timezone.now())
    row = _row(maria_client.get("/imports/").content.decode(), dry)
    assert "would create 2" in row
    assert "imported as" not in row


def _people_names(page: str) -> list[str]:
    from goodwill.people.models import Person

    return sorted(p.full_name for p in Person.objects.all() if f">{p.full_name}<" in page)


def test_see_the_people_lists_only_those_the_import_added_or_updated(maria_client, maria):
    from goodwill.people.tests.factories import make_person

    make_person(maria, given_name="Carl", family_name="Old")  # in no import
    first = _queue(maria_client, _upload(maria_client), run="1")
    jobs.run_imports(timezone.now())
    second_csv = "First Name,Last Name,Email\nAnna,Lee,anna@example.com\nDora,Wu,dora@ex.com\n"
    second = _queue(maria_client, _upload(maria_client, second_csv, "more.csv"), run="1")
    jobs.run_imports(timezone.now())
    second.refresh_from_db()
    assert (second.created, second.updated + second.unchanged) == (1, 1)
    page = maria_client.get(f"/imports/{first.pk}/").content.decode()
    assert (
        f'<a id="import-people-link" href="/people/?import={first.pk}">'
        "See the 2 people it added or updated</a>"
    ) in page
    listed = maria_client.get(f"/people/?import={first.pk}").content.decode()
    assert f"People added or updated by import {first.pk}." in listed
    assert _people_names(listed) == ["Anna Lee", "Ben Stone"]
    assert 'id="export-link"' not in listed  # the export knows no import filter
    assert _people_names(maria_client.get("/people/").content.decode()) == [
        "Anna Lee",
        "Ben Stone",
        "Carl Old",
        "Dora Wu",
    ]


def test_the_people_of_an_import_include_those_it_updated(maria_client):
    _queue(maria_client, _upload(maria_client), run="1")
    jobs.run_imports(timezone.now())
    csv = "First Name,Last Name,Email,Phone\nAnna,Lee,anna@example.com,+1 902 555 0101\n"
    second = _queue(
        maria_client, _upload(maria_client, csv, "phones.csv"), run="1", column_3="phone"
    )
    jobs.run_imports(timezone.now())
    second.refresh_from_db()
    assert (second.created, second.updated) == (0, 1)
    page = maria_client.get(f"/imports/{second.pk}/").content.decode()
    assert f'href="/people/?import={second.pk}">See the person it added or updated</a>' in page
    listed = maria_client.get(f"/people/?import={second.pk}").content.decode()
    assert _people_names(listed) == ["Anna Lee"]


def test_staff_cannot_list_the_people_of_an_import(maria_client, bob_client):
    """Staff see the whole list, as with ``archived``: not which people the import touched."""
    batch = _queue(maria_client, _upload(maria_client), run="1")
    jobs.run_imports(timezone.now())
    response = bob_client.get(f"/people/?import={batch.pk}")
    assert response.status_code == 200
    assert b"People added or updated by import" not in response.content


def test_the_people_of_an_import_cost_one_query_more_than_the_whole_list(
    maria_client, django_assert_num_queries
):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    jobs.run_imports(timezone.now())
    maria_client.get("/people/")  # warm the session and caches
    with django_assert_num_queries(8):
        maria_client.get("/people/")
    with django_assert_num_queries(9):  # + the import's audit entries, by their target index
        maria_client.get(f"/people/?import={batch.pk}")


def _tags(page: str) -> list[str]:
    import re

    progress = page[page.index('<div id="import-progress"') :]
    return re.findall(r'<span class="tag[^"]*"[^>]*>([^<]*)</span>', progress)


def test_a_finished_check_shows_one_status_tag(maria_client):
    dry = _queue(maria_client, _upload(maria_client), check="1")
    jobs.run_imports(timezone.now())
    page = maria_client.get(f"/imports/{dry.pk}/").content.decode()
    assert _tags(page) == ["dry run: nothing is written"]


def test_a_running_check_says_it_is_running_and_writes_nothing(maria_client):
    dry = _queue(maria_client, _upload(maria_client), check="1")
    import_claim(owner="worker-1")
    page = maria_client.get(f"/imports/{dry.pk}/").content.decode()
    assert _tags(page) == ["running", "dry run: nothing is written"]
    assert '<p id="import-read">Counting the rows…</p>' in page


def test_a_queued_import_waits_for_the_worker_rather_than_read_0_of_0(maria_client):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    fragment = maria_client.get(f"/imports/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert '<p id="import-read">Waiting for the worker to start…</p>' in fragment
    assert "of about 0" not in fragment


def test_a_counted_running_import_says_how_far_it_got(maria_client):
    batch = _queue(maria_client, _upload(maria_client), run="1")
    import_claim(owner="worker-1")
    ImportBatch.objects.filter(pk=batch.pk).update(total=2, rows=1)
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert '<p id="import-read">1 row read of about 2.</p>' in page


def test_the_import_button_says_what_cannot_be_undone(maria_client):
    draft = _upload(maria_client)
    dry = _queue(maria_client, draft, check="1")
    jobs.run_imports(timezone.now())
    note = (
        '<span class="muted" id="import-undo-note">An import cannot be undone: importing the '
        "file again adds nobody twice and duplicates can be merged, but values it changed are "
        "not put back.</span>"
    )
    assert note in maria_client.get(f"/imports/{dry.pk}/").content.decode()
    other = _upload(maria_client, name="other.csv")
    assert note in maria_client.get(f"/imports/{other.pk}/").content.decode()


@pytest.mark.django_db
def test_the_people_of_an_import_are_read_as_ranges_of_ids() -> None:
    """A large import's people (consecutive ids) make a short condition, not one parameter
    each: 30,000 people of one import and a few it updated."""
    from goodwill.people.models import Person
    from goodwill.people.selectors.list_imports import _ids_condition

    ids = [3, 5, *range(100, 30_100), 40_000]
    people = Person.objects.filter(_ids_condition(ids))
    where = str(people.query).split(" WHERE ", 1)[1]
    assert where == (
        '("people_person"."id" BETWEEN 100 AND 30099 OR "people_person"."id" IN (3, 5, 40000))'
    )
    assert people.count() == 0  # and the database takes it
