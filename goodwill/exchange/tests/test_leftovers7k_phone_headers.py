"""Phone columns named in other languages map by themselves (found by the web audit: a German
"Telefon" column went unmapped while Vorname, E-Mail and Geburtstag were recognised)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.mark.parametrize(
    ("header", "label"),
    [
        ("Telefon", ""),
        ("Telefonnummer", ""),
        ("Teléfono", ""),
        ("Handy", "mobile"),
        ("Mobil", "mobile"),
        ("Portable", "mobile"),
    ],
)
def test_a_phone_column_in_another_language_is_imported(
    tmp_path: Path, maria: User, header: str, label: str
) -> None:
    path = tmp_path / "kontakte.csv"
    path.write_text(
        f"Vorname;Nachname;E-Mail;{header}\nJonas;Becker;jonas@example.de;+49 171 2345678\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.warning_count) == (1, 0)
    jonas = Person.objects.get(given_name="Jonas")
    phone = jonas.phones.get()
    assert phone.e164 == "+491712345678"
    assert phone.label == label
