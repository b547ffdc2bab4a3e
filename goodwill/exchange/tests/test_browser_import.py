"""End to end in Debian's chromium: a manager uploads a spreadsheet, corrects a column's mapping,
checks the file, imports it, and watches the worker's progress reach "done"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from goodwill.accounts.models import User
from goodwill.core.testing import PASSWORD
from goodwill.exchange.models import ImportBatch
from goodwill.occasions.models import Occasion
from goodwill.outreach.worker.config import WorkerConfig
from goodwill.outreach.worker.loop import Worker
from goodwill.people.models import Person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("data_dir"),
]

CSV = (
    "Prénom;Nom;Courriel;Anniversaire;Club\n"
    "Éloïse;Martin;eloise@example.com;1984-06-02;Voile\n"
    "Jacques;Dubois;pas-une-adresse;;Échecs\n"
    ";;sans-nom@example.com;;\n"
    "Ines;Roy;ines@example.com;--12-24;\n"
)


@pytest.fixture
def worker() -> Iterator[Worker]:
    """A worker thread, as ``goodwill serve`` runs one beside the web server."""
    running = Worker(WorkerConfig.build(name="browser-test", poll=0.2))
    running.start()
    yield running
    running.stop()
    running.join(10)


def test_a_manager_imports_a_spreadsheet_and_follows_its_progress(
    page: Any, live_server: Any, maria: User, tmp_path: Path, worker: Worker
) -> None:
    from playwright.sync_api import expect

    upload = tmp_path / "adherents.csv"
    upload.write_text(CSV, encoding="cp1252")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill(maria.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Import people").click()

    page.get_by_label("Contacts file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and continue").click()
    mapping = page.locator("#import-mapping")
    expect(mapping).to_contain_text("eloise@example.com · pas-une-adresse · sans-nom@example.com")
    for column, field in [("Prénom", "given_name"), ("Nom", "family_name")]:
        page.get_by_label(column, exact=True).select_option(field)
    page.get_by_label("Courriel").select_option("email")
    page.get_by_label("Anniversaire").select_option("birthday")
    page.get_by_label("Club").select_option("categories")
    page.get_by_role("button", name="Check first (write nothing)").click()

    expect(page.locator("#import-state")).to_have_text(
        "dry run: nothing is written", timeout=20_000
    )
    expect(page.locator("#count-created")).to_have_text("3")
    expect(page.locator("#import-errors")).to_contain_text("The row has no name.")
    assert Person.objects.count() == 0

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-state")).to_have_text("done", timeout=20_000)
    expect(page.locator("#import-bar")).to_have_attribute("value", "100")
    expect(page.locator("#count-warnings")).to_have_text("1")
    expect(page.locator("#import-warnings")).to_contain_text("pas-une-adresse")
    names = sorted(Person.objects.values_list("given_name", "family_name"))
    assert names == [("Ines", "Roy"), ("Jacques", "Dubois"), ("Éloïse", "Martin")]
    eloise = Person.objects.get(family_name="Martin")
    assert list(eloise.interests.values_list("interest__name", flat=True)) == ["Voile"]
    assert Occasion.objects.count() == 2
    assert ImportBatch.objects.filter(state="done").count() == 1
