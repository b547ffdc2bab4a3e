"""Upgrading gives each household the UID goodwill's vCard export has always written for it, so
a file exported before the upgrade still joins the household it names."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from goodwill.exchange.importer.run import import_run
from goodwill.people.models import Household

BEFORE = [("people", "0011_person_archived_sort_idx")]
AFTER = [("people", "0012_household_uid")]


def _migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor


@pytest.fixture
def upgraded_after() -> Iterator[None]:
    """Whatever happens, the database is migrated forward again for the tests after this."""
    yield
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(leaves)


def _exported_uid(household_id: int) -> str:
    """The UID an export written before the upgrade gave the household."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/households/{household_id}/"))


CARD = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:cleo\r\nFN:Cleo Lee\r\nN:Lee;Cleo;;;\r\n"
    "EMAIL:cleo@example.com\r\nX-GOODWILL-HOUSEHOLD;X-GOODWILL-UID={uid}:The Lees;;;;;;\r\n"
    "END:VCARD\r\n"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("upgraded_after")
def test_a_file_exported_before_the_upgrade_joins_the_household_it_names(
    tmp_path: Path,
) -> None:
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    households = old.get_model("people", "Household").objects
    lees, moss = households.create(name="The Lees"), households.create(name="The Mosses")
    _migrate(AFTER)
    path = tmp_path / "cleo.vcf"
    path.write_text(CARD.format(uid=_exported_uid(lees.pk)), "utf-8")

    import_run(actor=None, path=path)

    upgraded = {
        h.name: (h.uid, [p.given_name for p in h.members.all()]) for h in Household.objects.all()
    }
    assert upgraded == {
        "The Lees": (_exported_uid(lees.pk), ["Cleo"]),
        "The Mosses": (_exported_uid(moss.pk), []),
    }
