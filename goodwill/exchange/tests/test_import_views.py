"""The import pages: who may use them, the mapping step, the live progress and the report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from goodwill.exchange import jobs
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

pytestmark = pytest.mark.usefixtures("data_dir")

CSV = (
    "Vorname,Nachname,E-Mail-Adresse,Schuhgröße\n"
    "Anna,Lee,anna@example.com,38\n"
    "Ben,Stone,not-an-email,44\n"
    ",,,\n"
    "=cmd,,,\n"
)


def _file(text: str = CSV, name: str = "gäste.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _upload(client: Client, text: str = CSV) -> ImportBatch:
    response = client.post("/imports/", {"file": _file(text)})
    assert response.status_code == 302, response.content
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/{batch.pk}/"
    return batch


def _options(**overrides: str) -> dict[str, str]:
    data = {
        "dedupe": "update-empty",
        "possible_duplicates": "skip",
        "unmapped": "ignore",
        "categories": "interests",
        "column_0": "given_name",
        "column_1": "family_name",
        "column_2": "email",
        "column_3": "",
        "run": "1",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "path", ["/imports/", "/imports/{id}/", "/imports/{id}/report.csv", "/imports/{id}/cancel/"]
)
def test_staff_and_anonymous_cannot_reach_the_import_pages(bob_client, maria, path):
    from goodwill.exchange.services.imports import import_upload

    batch = import_upload(actor=maria, name="a.csv", chunks=[CSV.encode()])
    url = path.format(id=batch.pk)
    method = "post" if url.endswith("cancel/") else "get"
    assert getattr(bob_client, method)(url).status_code == 403
    assert getattr(Client(), method)(url).status_code == 302
    assert bob_client.post("/imports/", {"file": _file()}).status_code == 403
    batch.refresh_from_db()
    assert (batch.state, ImportBatch.objects.count()) == ("draft", 1)


def test_the_mapping_step_shows_each_column_its_guess_and_first_values(maria_client):
    batch = _upload(maria_client)
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert 'id="import-mapping"' in page
    assert '<option value="given_name" selected>Given name</option>' in page
    assert '<option value="email" selected>Email</option>' in page
    assert "anna@example.com · not-an-email" in page
    assert "Schuhgröße" in page
    assert "=cmd" in page
    assert Person.objects.count() == 0


def test_a_dry_run_then_the_real_import_from_the_page(maria_client):
    batch = _upload(maria_client)
    response = maria_client.post(
        f"/imports/{batch.pk}/", _options(run="", check="1", column_3="note")
    )
    assert response.status_code == 302
    jobs.run_imports(timezone.now())
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert "dry run: nothing is written" in page
    assert '<option value="note" selected>Notes</option>' in page  # the choice made before
    assert '<dd id="count-created">3</dd>' in page
    assert Person.objects.count() == 0
    response = maria_client.post(f"/imports/{batch.pk}/", _options())
    real = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert response["Location"] == f"/imports/{real.pk}/"
    jobs.run_imports(timezone.now())
    page = maria_client.get(f"/imports/{real.pk}/").content.decode()
    assert '<span class="tag giving" id="import-state">done</span>' in page
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["=cmd", "Anna", "Ben"]
    assert not Person.objects.filter(given_name="Ben").get().emails.exists()


def test_the_progress_fragment_polls_while_the_import_waits(maria_client):
    batch = _upload(maria_client)
    maria_client.post(f"/imports/{batch.pk}/", _options())
    fragment = maria_client.get(f"/imports/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="import-progress"')
    assert 'hx-trigger="every 1s"' in fragment
    assert "<!doctype html>" not in fragment
    jobs.run_imports(timezone.now())
    response = maria_client.get(f"/imports/{batch.pk}/", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in fragment
    assert '<progress id="import-bar" max="100" value="100"' in fragment


def test_a_mapping_to_nothing_for_a_needed_column_still_reports_rows_without_names(maria_client):
    batch = _upload(maria_client)
    maria_client.post(f"/imports/{batch.pk}/", _options(column_0="", column_1=""))
    jobs.run_imports(timezone.now())
    batch = ImportBatch.objects.latest("id")
    assert (batch.created, batch.error_count) == (0, 3)
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert '<table id="import-errors">' in page
    assert "The row has no name." in page


def test_an_unreadable_file_is_refused_on_the_upload_page(maria_client):
    response = maria_client.post("/imports/", {"file": _file("", name="empty.csv")})
    assert response.status_code == 422
    assert "empty.csv: the file is empty." in response.content.decode()
    response = maria_client.post("/imports/", {"file": _file("a,a\n1,2\n", name="dup.csv")})
    assert response.status_code == 422
    assert "dup.csv: the header on line 1 names" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_user_text_is_escaped_on_the_import_pages(maria_client):
    text = "First Name,<b>Hat</b>\n<script>x</script>,1\n"
    batch = _upload(maria_client, text)
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;Hat&lt;/b&gt;" in page


def test_the_report_lists_bad_rows_and_warnings_formula_safe(maria_client):
    batch = _upload(maria_client)
    maria_client.post(f"/imports/{batch.pk}/", _options())
    jobs.run_imports(timezone.now())
    response = maria_client.get(f"/imports/{batch.pk}/report.csv")
    assert response["Content-Disposition"] == f'attachment; filename="import-{batch.pk}-report.csv"'
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "line,column,message,kind"
    assert lines[1].startswith("3,E-Mail-Adresse,not-an-email is not a valid email address")
    assert lines[1].endswith(",warning")


def test_cancelling_a_draft_from_the_page(maria_client):
    batch = _upload(maria_client)
    response = maria_client.post(f"/imports/{batch.pk}/cancel/")
    assert response["Location"] == "/imports/"
    batch.refresh_from_db()
    assert (batch.state, batch.stored_file) == ("failed", "")
    page = maria_client.get("/imports/").content.decode()
    assert "gäste.csv" in page


def test_the_people_list_links_to_the_import_page_for_managers_only(maria_client, bob_client):
    assert 'id="import-link" href="/imports/"' in maria_client.get("/people/").content.decode()
    assert 'id="import-link"' not in bob_client.get("/people/").content.decode()


def test_columns_empty_in_the_first_rows_and_going_nowhere_are_folded_away(maria_client):
    batch = _upload(maria_client, "First Name,Shoe size,Fax,Email\nAnn,,,ann@example.com\n")
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    folded = page[page.index('<details id="import-quiet-columns">') :]
    assert "1 more column, empty in the first rows" in folded
    assert '<label for="id_column_1">Shoe size</label>' in folded  # empty and not imported
    assert '<label for="id_column_2">Fax</label>' not in folded  # empty, but mapped to a phone
    assert '<label for="id_column_0">First Name</label>' not in folded


def test_a_column_can_be_mapped_to_tags_and_categories_made_tags_on_the_page(maria_client):
    batch = _upload(maria_client, "First Name,Labels,Segment\nAnna,Wine,VIP\n")
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert '<option value="tags">Tags</option>' in page  # a column's choices
    assert '<option value="tags">Tags (your own labels, such as VIP)</option>' in page
    options = _options(column_0="given_name", column_1="categories", column_2="tags")
    del options["column_3"]
    maria_client.post(f"/imports/{batch.pk}/", {**options, "categories": "tags"})
    jobs.run_imports(timezone.now())
    anna = Person.objects.get()
    assert sorted(anna.tag_links.values_list("tag__name", flat=True)) == ["VIP", "Wine"]
    assert not anna.interests.exists()


def test_columns_with_a_blank_header_are_named_by_their_place_and_mapped_apart(maria_client):
    batch = _upload(maria_client, "First Name,,\nAnna,anna@example.com,+1 902 555 0101\n")
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Column 2" in page
    assert "Column 3" in page

    options = _options(column_0="given_name", column_1="email", column_2="phone")
    del options["column_3"]
    maria_client.post(f"/imports/{batch.pk}/", options)
    jobs.run_imports(timezone.now())

    anna = Person.objects.get()
    assert (anna.primary_email, anna.primary_phone) == ("anna@example.com", "+19025550101")
