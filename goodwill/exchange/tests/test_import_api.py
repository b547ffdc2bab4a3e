"""POST/GET /api/v1/imports: every persona, a queued run followed to its end, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from goodwill.accounts.models import AuditEntry
from goodwill.exchange import jobs
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import PERSONAS, operation_ids

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

CSV = (
    "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Labels\n"
    "Ann,Lee,ann@example.com,placeholder,Sailing\n"
    "Bob,Stone,bob@example.com,,\n"
    ",,nobody@example.com,,\n"
)


def _post(token: str | None, data: dict[str, Any] | None = None, **headers: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    body = {"file": SimpleUploadedFile("guests.csv", CSV.encode(), "text/csv"), **(data or {})}
    return Client().post("/api/v1/imports", body, **extra)


def _get(token: str | None, path: str) -> Any:
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(path, **extra)


def test_every_import_operation_is_tested_here() -> None:
    assert operation_ids("imports") == {
        "import_create",
        "import_get",
        "import_list",
        "import_report",
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_and_owners_may_upload_and_read_imports(tokens, persona, maria):
    from goodwill.exchange.services.imports import import_upload

    existing = import_upload(actor=maria, name="a.csv", chunks=[CSV.encode()])
    want = {
        "maria": (202, 200, 200, 200),
        "alice": (202, 200, 200, 200),
        "bob": (403, 403, 403, 403),
    }.get(persona, (401, 401, 401, 401))
    got = (
        _post(tokens[persona]).status_code,
        _get(tokens[persona], f"/api/v1/imports/{existing.pk}").status_code,
        _get(tokens[persona], "/api/v1/imports").status_code,
        _get(tokens[persona], f"/api/v1/imports/{existing.pk}/report").status_code,
    )
    assert got == want
    assert ImportBatch.objects.count() == (2 if want[0] == 202 else 1)
    assert Person.objects.count() == 0


def test_an_upload_is_queued_run_by_the_worker_and_followed_to_the_end(tokens):
    response = _post(tokens["maria"], {"map": ["Labels=ignore"], "dedupe": "skip"})
    assert response.status_code == 202
    body = response.json()
    assert (body["state"], body["file"], body["dry_run"], body["dedupe"]) == (
        "pending",
        "guests.csv",
        False,
        "skip",
    )
    jobs.run_imports(timezone.now())
    done = _get(tokens["maria"], f"/api/v1/imports/{body['id']}").json()
    assert {k: done[k] for k in ("state", "total", "rows", "created", "percent")} == {
        "state": "done",
        "total": 3,
        "rows": 3,
        "created": 2,
        "percent": 100,
    }
    assert done["errors"] == [{"line": 4, "column": "name", "message": "The row has no name."}]
    assert [(w["line"], w["column"]) for w in done["warnings"]] == [(2, "Phone 1 - Value")]
    assert done["warning_count"] == 1
    assert not Person.objects.get(given_name="Ann").interests.exists()
    listed = _get(tokens["maria"], "/api/v1/imports").json()["items"]
    assert [(i["id"], i["state"], i["created"]) for i in listed] == [(body["id"], "done", 2)]


def test_a_dry_run_writes_nothing(tokens):
    response = _post(tokens["alice"], {"dry_run": "true"})
    jobs.run_imports(timezone.now())
    done = _get(tokens["alice"], f"/api/v1/imports/{response.json()['id']}").json()
    assert (done["state"], done["created"], Person.objects.count()) == ("dry-run", 2, 0)


def test_categories_may_become_tags(tokens):
    response = _post(tokens["maria"], {"categories": "tags"})
    assert response.status_code == 202
    jobs.run_imports(timezone.now())
    ann = Person.objects.get(given_name="Ann")
    assert list(ann.tag_links.values_list("tag__name", "source", "source_detail")) == [
        ("Sailing", "imported", f"guests.csv, import {response.json()['id']}")
    ]
    assert not ann.interests.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"dedupe": "merge"}, "dedupe"),
        ({"categories": "labels"}, "categories"),
        ({"possible_duplicates": "merge"}, "possible_duplicates"),
        ({"map": ["Hat=email"]}, "map"),
        ({"map": ["no equals sign"]}, "map"),
        ({"format": "xls"}, "format"),
        # A misspelt option would otherwise run a real import with the defaults.
        ({"dedup": "skip"}, "dedup"),
        ({"dry-run": "true"}, "dry-run"),
    ],
)
def test_bad_options_are_refused_naming_the_field_and_nothing_is_kept(tokens, data, field):
    audit = AuditEntry.objects.count()
    response = _post(tokens["maria"], data)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert ImportBatch.objects.count() == 0
    assert AuditEntry.objects.count() == audit


def test_an_unreadable_file_is_refused_naming_it(tokens):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.csv", b"\x89PNG\x00\x00binary", "text/csv")
    response = Client().post(
        "/api/v1/imports", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {tokens['maria']}"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "file": ["photo.csv: this looks like a binary file, not CSV or vCard."]
    }
    assert ImportBatch.objects.count() == 0


def test_a_format_that_does_not_fit_the_file_is_refused_naming_the_file(tokens):
    response = _post(tokens["maria"], {"format": "vcard"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["file"]
    assert ImportBatch.objects.count() == 0


def test_a_repeated_upload_with_the_same_idempotency_key_queues_once(tokens):
    first = _post(tokens["maria"], **{"Idempotency-Key": "upload-1"})
    again = _post(tokens["maria"], **{"Idempotency-Key": "upload-1"})
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert ImportBatch.objects.count() == 1


def test_an_unknown_import_is_404(tokens):
    response = _get(tokens["maria"], "/api/v1/imports/999999")
    assert response.status_code == 404


def test_map_on_a_vcard_is_refused_naming_map(tokens):
    from django.core.files.uploadedfile import SimpleUploadedFile

    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\nEND:VCARD\r\n"
    body = {"file": SimpleUploadedFile("ann.vcf", card, "text/vcard"), "map": ["EMAIL=ignore"]}
    response = Client().post(
        "/api/v1/imports", body, HTTP_AUTHORIZATION=f"Bearer {tokens['maria']}"
    )
    assert response.status_code == 422
    assert "map" in response.json()["error"]["fields"]
    assert ImportBatch.objects.count() == 0
