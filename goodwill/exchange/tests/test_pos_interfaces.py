"""The point-of-sale import from the web pages, the API and ``goodwill import --kind purchases``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from goodwill.commerce.models import Purchase
from goodwill.exchange import jobs
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.tests import pos_world
from goodwill.people.models import Person

pytestmark = pytest.mark.usefixtures("data_dir")


def _file(text: str = pos_world.CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile("till.csv", text.encode("utf-8"), content_type="text/csv")


def _mapping_form(client: Client, batch: ImportBatch, **extra: str) -> dict[str, str]:
    """The mapping step's form as the page shows it (each column's preselected field)."""
    from goodwill.exchange.selectors import import_columns

    data = {f"column_{i}": c.target for i, c in enumerate(import_columns(batch=batch))}
    return {**data, **extra}


def test_the_web_flow_from_upload_to_report(maria_client):
    pos_world.people()
    response = maria_client.post("/imports/purchases/", {"file": _file()})
    batch = ImportBatch.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/imports/{batch.pk}/")
    assert (batch.kind, batch.state) == ("purchases", "draft")
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert '<option value="reference" selected>Receipt or order number</option>' in page
    assert '<option value="loyalty" selected>Loyalty, member or card number</option>' in page
    assert 'name="create_people"' in page
    response = maria_client.post(
        f"/imports/{batch.pk}/", _mapping_form(maria_client, batch, check="1")
    )
    assert response.status_code == 302
    jobs.run_imports(timezone.now())
    batch.refresh_from_db()
    assert (batch.state, batch.created, Purchase.objects.count()) == ("dry-run", 5, 0)
    form = _mapping_form(maria_client, batch, run="1", create_people="on")
    response = maria_client.post(f"/imports/{batch.pk}/", form)
    real = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert response["Location"] == f"/imports/{real.pk}/"
    assert (real.kind, real.state, real.options["create_people"]) == ("purchases", "pending", True)
    jobs.run_imports(timezone.now())
    real.refresh_from_db()
    assert (real.state, real.created, real.people_created, real.skipped) == ("done", 6, 1, 1)
    page = maria_client.get(f"/imports/{real.pk}/").content.decode()
    assert '<dd id="count-created">6</dd>' in page
    assert '<dd id="count-people-created">1</dd>' in page
    assert "No person matches name Sam Hill. 2 people have this name." in page
    response = maria_client.get(f"/imports/{real.pk}/report.csv")
    report = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert report.splitlines() == [
        "line,column,message,kind",
        "5,Total,A negative amount: use a refund row.,error",
        "6,Check-out,Check-out is before check-in.,error",
        "7,Date,“2024-13-45” is not a date.,error",
        "10,customer,No person matches name Sam Hill. 2 people have this name.,error",
    ]


def test_the_people_list_and_the_imports_page_link_to_the_purchases_import(maria_client):
    assert 'href="/imports/purchases/"' in maria_client.get("/people/").content.decode()
    assert 'href="/imports/purchases/"' in maria_client.get("/imports/").content.decode()


def test_a_vcard_is_refused_as_a_purchases_file_and_nothing_is_kept(maria_client):
    vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEND:VCARD\n"
    response = maria_client.post("/imports/purchases/", {"file": _file(vcard)})
    assert response.status_code == 422
    assert (
        "till.csv: a point-of-sale import reads CSV files, not vCard." in response.content.decode()
    )
    assert ImportBatch.objects.count() == 0


def test_staff_cannot_reach_the_purchases_import_and_nothing_changes(bob_client):
    pos_world.people()
    assert bob_client.get("/imports/purchases/").status_code == 403
    assert bob_client.post("/imports/purchases/", {"file": _file()}).status_code == 403
    assert (ImportBatch.objects.count(), Purchase.objects.count()) == (0, 0)


def _api_post(token: str | None, **data: Any) -> Any:
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post("/api/v1/imports", {"file": _file(), **data}, **extra)


def test_the_api_queues_a_purchases_import_and_reports_it(tokens):
    pos_world.people()
    response = _api_post(tokens["maria"], kind="purchases", create_people="true")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["kind"], body["state"], body["people_created"]) == ("purchases", "pending", 0)
    jobs.run_imports(timezone.now())
    got = Client().get(
        f"/api/v1/imports/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {tokens['maria']}"
    )
    done = got.json()
    assert (done["state"], done["created"], done["people_created"], done["unchanged"]) == (
        "done",
        6,
        1,
        0,
    )
    assert (done["skipped"], done["error_count"]) == (1, 3)
    assert done["errors"][-1]["column"] == "customer"


def test_the_api_refuses_an_unknown_field_in_a_mapping_and_keeps_nothing(tokens):
    response = _api_post(tokens["maria"], kind="purchases", map=["Total=price"])
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["map"]
    assert ImportBatch.objects.count() == 0


def test_staff_cannot_import_purchases_through_the_api(tokens):
    pos_world.people()
    assert _api_post(tokens["bob"], kind="purchases").status_code == 403
    assert (ImportBatch.objects.count(), Purchase.objects.count()) == (0, 0)


def _cli(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_cli_prints_one_json_summary(tmp_path, db):
    pos_world.people()
    path = pos_world.write(tmp_path)
    out = _cli(str(path), "--kind", "purchases", "--create-people", "--json")
    batch = ImportBatch.objects.get()
    assert json.loads(out) == {
        "batch_id": batch.pk,
        "kind": "purchases",
        "file": "till.csv",
        "state": "done",
        "dry_run": False,
        "rows": 10,
        "purchases_created": 6,
        "people_created": 1,
        "already_imported": 0,
        "unknown_people": 1,
        "error_count": 3,
        "errors": pos_world.ERRORS + pos_world.UNKNOWN[1:],
        "warning_count": 0,
        "warnings": [],
        "message": "",
    }
    again = json.loads(_cli(str(path), "--kind", "purchases", "--dry-run", "--json"))
    assert (again["purchases_created"], again["already_imported"], again["dry_run"]) == (0, 6, True)
    assert Person.objects.filter(given_name="Eve").count() == 1


def test_the_cli_maps_columns_by_hand(tmp_path, db):
    pos_world.people()
    path = pos_world.write(tmp_path, "When,Who,Paid\n05/03/2024,ann@example.com,3.00\n")
    out = _cli(
        str(path), "--kind", "purchases", "--map", "When=date", "--map", "Who=email",
        "--map", "Paid=amount", "--day-first", "--json",
    )  # fmt: skip
    assert json.loads(out)["purchases_created"] == 1
    assert Purchase.objects.get().occurred_at.date().isoformat() == "2024-03-05"


def test_the_cli_as_staff_is_refused_and_nothing_changes(tmp_path, bob):
    from django.core.management.base import CommandError

    pos_world.people()
    path = pos_world.write(tmp_path)
    with pytest.raises((CommandError, SystemExit)):
        _cli(str(path), "--kind", "purchases", "--as", "bob@example.com")
    assert (ImportBatch.objects.count(), Purchase.objects.count()) == (0, 0)
