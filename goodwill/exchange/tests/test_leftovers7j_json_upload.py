"""goodwill's own JSON export is refused at upload, naming the file, by the web page, the API
and the command: it is not read as a one-column CSV. A CSV whose first cell starts with "["
is still a CSV."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import token_for
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.usefixtures("data_dir")

REFUSAL = (
    "people.json: this is a JSON file, which cannot be imported. Import a CSV or vCard file "
    "instead (goodwill&#x27;s export page offers both)."
)


def _own_json_export(client: Client, maria) -> bytes:
    make_person(maria, given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    response = client.get("/exports/people.json")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.lstrip()[:1] in (b"[", b"{")
    return body


def test_the_web_upload_refuses_goodwills_own_json_export(maria_client, maria, data_dir):
    body = _own_json_export(maria_client, maria)
    upload = SimpleUploadedFile("people.json", body, content_type="application/json")
    response = maria_client.post("/imports/", {"file": upload})
    assert response.status_code == 422
    assert REFUSAL in response.content.decode()
    assert not ImportBatch.objects.exists()
    kept = data_dir / "imports"
    assert not kept.exists() or not any(kept.iterdir())


def test_the_api_refuses_a_json_file_on_file(maria):
    upload = SimpleUploadedFile("people.json", b'[\n  {"id": 4, "given_name": "Ann"}\n]\n')
    response = Client().post(
        "/api/v1/imports", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token_for(maria)}"
    )
    assert response.status_code == 422
    message = response.json()["error"]["fields"]["file"][0]
    assert message == REFUSAL.replace("&#x27;", "'")
    assert not ImportBatch.objects.exists()


def test_the_command_refuses_a_json_file_naming_it(tmp_path: Path, db):
    path = tmp_path / "people.json"
    path.write_text('{"people": [{"given_name": "Ann"}]}', encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.returncode == 2
    assert REFUSAL.replace("&#x27;", "'") in str(exc.value)
    assert Person.objects.count() == 0


def test_a_csv_whose_first_cell_starts_with_a_bracket_is_still_a_csv(maria_client):
    text = "[Draft] name,Email\nAnn,ann@example.com\n"
    upload = SimpleUploadedFile("draft.csv", text.encode(), content_type="text/csv")
    response = maria_client.post("/imports/", {"file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert (batch.format, batch.state) == ("csv", "draft")
    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()
    assert "[Draft] name" in page
    assert "ann@example.com" in page
