"""The web upload refuses at once, naming the file, what cannot be imported: an empty file and
a CSV with column headers but no rows; nothing is kept. The API refuses them on ``file``."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from goodwill.exchange.models import ImportBatch
from goodwill.people.tests.api_helpers import token_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "guests.csv: the file is empty."),
        (b"First Name,Last Name,Email\n\n", "guests.csv: there are column headers but no rows"),
    ],
)
def test_the_web_upload_refuses_at_once_naming_the_file(
    maria_client: Client, data_dir, content: bytes, message: str
):
    upload = SimpleUploadedFile("guests.csv", content, content_type="text/csv")
    response = maria_client.post(reverse("exchange:import_new"), {"file": upload})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()
    kept = data_dir / "imports"
    assert not kept.exists() or not any(kept.iterdir())


def test_the_api_refuses_a_header_only_csv_on_file(maria):
    client = Client()
    upload = SimpleUploadedFile("guests.csv", b"First Name,Email\n", content_type="text/csv")
    response = client.post(
        "/api/v1/imports",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {token_for(maria)}",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert "guests.csv: there are column headers but no rows" in error["fields"]["file"][0]
    assert not ImportBatch.objects.exists()
