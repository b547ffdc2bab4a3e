"""The feedback inbox as CSV: managers and owners, with the inbox's filters, as text with
formulas neutralised."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from goodwill.accounts.models import AuditEntry, User
from goodwill.feedback.services.feedback import feedback_heard_create
from goodwill.people.tests.api_helpers import call
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def remarks(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")
    feedback_heard_create(
        actor=bob, text='=HYPERLINK("http://x")', category="price", sentiment="negative"
    )
    feedback_heard_create(
        actor=bob, text=SCRIPT, category="staff", sentiment="positive", person=anne
    )


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_managers_download_the_inbox_with_formulas_neutralised(
    maria_client: Client, remarks: None
) -> None:
    response = maria_client.get("/exports/feedback.csv")

    rows = _rows(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith('attachment; filename="feedback-')
    assert [(r["What they said"], r["About"], r["Person"]) for r in rows] == [
        (SCRIPT, "staff", "Anne Lee"),
        ('\'=HYPERLINK("http://x")', "price", ""),
    ]
    assert rows[0]["Heard by"] == "bob@example.com"
    assert AuditEntry.objects.filter(action="feedback.export").count() == 1


def test_the_inbox_filters_apply(maria_client: Client, remarks: None) -> None:
    response = maria_client.get("/exports/feedback.csv?sentiment=negative")

    rows = _rows(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert [r["About"] for r in rows] == ["price"]


def test_staff_may_not_export_and_nothing_is_audited(bob_client: Client, remarks: None) -> None:
    response = bob_client.get("/exports/feedback.csv")

    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="feedback.export").count() == 0


def test_the_api_exports_it_and_names_a_bad_filter(tokens: dict[str, Any], remarks: None) -> None:
    ok = call("get", "/api/v1/exports/feedback?category=staff", tokens["maria"])
    bad = call("get", "/api/v1/exports/feedback?category=weather", tokens["maria"])
    staff = call("get", "/api/v1/exports/feedback", tokens["bob"])

    assert [r["What they said"] for r in _rows(b"".join(ok.streaming_content))] == [SCRIPT]
    assert bad.status_code == 422
    assert list(bad.json()["error"]["fields"]) == ["category"]
    assert staff.status_code == 403


def test_the_cli_exports_it_as_the_given_user(maria: User, remarks: None) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command(
        "export", "--what", "feedback", "--format", "csv", "--sentiment", "positive",
        "--as", "maria@example.com", stdout=out,
    )  # fmt: skip

    assert [r["What they said"] for r in csv.DictReader(io.StringIO(out.getvalue()))] == [SCRIPT]
    with pytest.raises(CommandError) as refused:
        call_command("export", "--what", "feedback", "--format", "csv", "--as", "bob@example.com")
    assert refused.value.returncode == 4
