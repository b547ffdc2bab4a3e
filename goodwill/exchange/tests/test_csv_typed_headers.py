"""Generic CSV headers that give an email or phone column its type, "Email (work)",
"Phone (mobile)", "Telephone (work)", "Email address (personal)", map without ``--map``: the
type becomes the label of the address or number, as Google's and Outlook's layouts label theirs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.exchange.importer import import_run
from goodwill.exchange.parse import open_import
from goodwill.people.models import Person

HEADER = (
    "Name,Email (work),E-mail (home),Email address (personal),Phone (mobile),"
    "Telephone (work),Mobile phone,Home telephone 2,Phone (fax),Tel. (privat),Email (mobile)\n"
)
ROW = (
    "Ann Lee,ann@work.example,ann@home.example,ann.lee@mail.example,+1 902 555 0101,"
    "+1 902 555 0102,+1 902 555 0103,+1 902 555 0104,+1 902 555 0105,+1 902 555 0106,"
    "ann@phone.example\n"
)


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    return path


def test_the_mapping_step_shows_typed_columns_mapped_with_their_type(tmp_path: Path) -> None:
    assert open_import(_csv(tmp_path)).columns() == {
        "Name": "full_name",
        "Email (work)": "email:work",
        "E-mail (home)": "email:home",
        "Email address (personal)": "email:home",
        "Phone (mobile)": "phone:mobile",
        "Telephone (work)": "phone:work",
        "Mobile phone": "phone:mobile",
        "Home telephone 2": "phone:home",
        "Phone (fax)": "phone:fax",
        "Tel. (privat)": "phone:home",
        "Email (mobile)": "",  # not a type an email address has: the user maps it
    }


@pytest.mark.django_db
def test_typed_columns_import_as_labelled_emails_and_phones(tmp_path: Path, maria: object) -> None:
    batch = import_run(actor=maria, path=_csv(tmp_path))
    assert (batch.created, batch.error_count) == (1, 0)
    ann = Person.objects.get()
    assert list(ann.emails.values_list("email", "label")) == [
        ("ann@work.example", "work"),
        ("ann@home.example", "home"),
        ("ann.lee@mail.example", "home"),
    ]
    assert list(ann.phones.values_list("e164", "label")) == [
        ("+19025550101", "mobile"),
        ("+19025550102", "work"),
        ("+19025550103", "mobile"),
        ("+19025550104", "home"),
        ("+19025550105", "fax"),
        ("+19025550106", "home"),
    ]
