"""Upgrading keeps the bad rows and warnings imports listed before: each entry of a batch's old
JSON lists becomes a row of its own, in order, a warning still owned by its person (or traces)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

BEFORE = [("exchange", "0006_suppression_key")]
AFTER = [("exchange", "0007_import_problems")]


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("upgraded_after")
def test_the_listed_problems_of_earlier_imports_survive_the_upgrade() -> None:
    erin = Person.objects.create(given_name="Erin", family_name="Lee", sort_key="lee erin")
    gone_id = erin.pk + 1000  # a person erased since: the warning stays, without an owner
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    errors = [
        {"line": 3, "column": "name", "message": "The row has no name."},
        {"line": 9, "column": "", "message": "The row has no name, email, phone or company."},
    ]
    warnings = [
        {"line": 4, "column": "Phone 1 - Value", "message": "bad phone", "person_id": erin.pk},
        {"line": 5, "column": "Birthday", "message": "bad date", "person_id": gone_id},
        {"line": 6, "column": "E-mail 1 - Value", "message": "bad", "traces": ["ab", "cd"]},
    ]
    batch = old.get_model("exchange", "ImportBatch").objects.create(
        file_name="guests.csv", error_count=2, warning_count=3, errors=errors, warnings=warnings
    )
    _migrate(AFTER)
    # Columns later migrations add are not there yet: the model reads without them.
    upgraded = ImportBatch.objects.defer("real_run").get(pk=batch.pk)
    assert upgraded.errors == [
        {"line": 3, "column": "name", "message": "The row has no name."},
        {"line": 9, "column": "", "message": "The row has no name, email, phone or company."},
    ]
    assert upgraded.warnings == [
        {"line": 4, "column": "Phone 1 - Value", "message": "bad phone", "person_id": erin.pk},
        {"line": 5, "column": "Birthday", "message": "bad date"},
        {"line": 6, "column": "E-mail 1 - Value", "message": "bad", "traces": ["ab", "cd"]},
    ]

    # Going back puts the lists back (the person erased since stays without an owner).
    back = _migrate(BEFORE).loader.project_state(BEFORE).apps
    restored = back.get_model("exchange", "ImportBatch").objects.get(pk=batch.pk)
    assert restored.errors == errors
    unowned = {k: v for k, v in warnings[1].items() if k != "person_id"}
    assert restored.warnings == [warnings[0], unowned, warnings[2]]
