"""The suppression list's key lives in the database: an erased address stays suppressed after
a backup is restored under another SECRET_KEY, and entries hashed before the key moved there
(with a key derived from SECRET_KEY) keep working after the upgrade."""

from __future__ import annotations

import hashlib
import importlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils.crypto import salted_hmac

from goodwill.exchange.models import Suppression, SuppressionKey
from goodwill.exchange.suppression import email_hash, is_suppressed, suppressed_emails
from goodwill.exchange.tests.test_backup_roundtrip import (
    ON_POSTGRES,
    _goodwill,
    databases,  # noqa: F401 - the fixture
)

MIGRATION = importlib.import_module("goodwill.exchange.migrations.0006_suppression_key")
ERIN = "erin.erasable@example.com"


def _migrate_0006() -> None:
    MIGRATION.keep_the_current_key(apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_entries_hashed_before_the_upgrade_stay_suppressed(settings: Any) -> None:
    settings.SECRET_KEY = "the secret key this install has always had"
    legacy = salted_hmac("goodwill.exchange.suppression", ERIN, algorithm="sha256").hexdigest()
    Suppression.objects.create(email_hash=legacy)
    _migrate_0006()
    settings.SECRET_KEY = "a new secret key, as after a restore elsewhere"
    assert is_suppressed("Erin.Erasable@Example.com")
    assert suppressed_emails([ERIN, "farid@example.com"]) == {ERIN}
    assert email_hash(ERIN) == legacy


@pytest.mark.django_db
def test_the_upgrade_of_a_database_nobody_was_erased_from_stores_no_key() -> None:
    _migrate_0006()
    assert not SuppressionKey.objects.exists()  # an empty database stays empty (restorable)
    assert not is_suppressed(ERIN)
    assert not SuppressionKey.objects.exists()


@pytest.mark.django_db
def test_the_first_erasure_makes_a_random_key_used_from_then_on(settings: Any) -> None:
    first = email_hash(ERIN)
    key = SuppressionKey.objects.get()
    assert (key.pk, len(key.key)) == (1, 64)
    derived = hashlib.sha256((MIGRATION.LEGACY_SALT + settings.SECRET_KEY).encode()).hexdigest()
    assert key.key != derived
    assert email_hash(ERIN) == first
    assert SuppressionKey.objects.count() == 1


def _json(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_a_backup_restored_under_another_secret_key_keeps_her_suppressed(
    tmp_path: Path,
    databases: tuple[dict[str, str], dict[str, str]],  # noqa: F811
) -> None:
    source, target = databases
    source["GOODWILL_SECRET_KEY"] = "the first install's secret key, long enough"
    target["GOODWILL_SECRET_KEY"] = "another install's secret key, not the same"
    contacts = tmp_path / "guests.csv"
    contacts.write_text(
        f"First Name,Last Name,E-mail 1 - Value\nErin,Erasable,{ERIN}\n", encoding="utf-8"
    )
    assert _goodwill(source, "migrate", "-v", "0").returncode == 0
    assert _json(_goodwill(source, "import", str(contacts), "--json"))["created"] == 1
    [erin] = _json(_goodwill(source, "people", "search", "erasable", "--json"))
    erased = _goodwill(source, "erase", str(erin["id"]), "--confirm-name", "Erin Erasable")
    assert erased.returncode == 0, erased.stderr
    backup = tmp_path / ("copy.dump" if ON_POSTGRES else "copy.sqlite3")
    assert _goodwill(source, "backup", str(backup)).returncode == 0

    assert _goodwill(target, "migrate", "-v", "0").returncode == 0
    restored = _goodwill(target, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    again = _json(_goodwill(target, "import", str(contacts), "--json"))
    assert (again["created"], again["updated"], again["skipped"]) == (0, 0, 1)
    assert _json(_goodwill(target, "people", "search", "erasable", "--json")) == []
