"""Importing what goodwill's own exports hold: quoted formula cells, roles, dislikes, language and
time zone (checked, and left out with a warning when wrong), and a full name split in two."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.exchange.importer import import_run
from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import ContactRecord, YearlyDate
from goodwill.exchange.tests.realdata import REALDATA
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person
from goodwill.people.services.persons import person_create
from goodwill.people.tests.factories import give_interests

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD", ""])


def _warnings(batch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


def test_the_quote_before_a_formula_character_is_dropped_from_every_mapped_cell(
    tmp_path: Path,
) -> None:
    header = "First Name,Last Name,Nickname,Birthday,Phone 1 - Label,Phone 1 - Value,Notes\n"
    row = "'=Gina,'@Generic,'-2+3,'--04-12,'-desk,'+19025550101,'hello\n"
    [record] = list(open_import(_file(tmp_path, "a.csv", header + row)).records())
    assert isinstance(record, ContactRecord)
    assert (record.given_name, record.family_name, record.preferred_name) == (
        "=Gina",
        "@Generic",
        "-2+3",
    )
    assert record.birthday == YearlyDate(month=4, day=12)
    assert record.phones == [("+19025550101", "-desk")]
    assert record.note == "'hello"  # a quote before anything else is the file's own text
    assert record.dropped == []


def test_a_year_less_birthday_of_a_goodwill_csv_is_imported(tmp_path: Path) -> None:
    path = _file(tmp_path, "a.csv", "First Name,Birthday\nGina,'--04-12\n")
    batch = import_run(actor=None, path=path)
    assert (batch.created, batch.warning_count) == (1, 0)
    assert list(Occasion.objects.values_list("kind", "year", "month", "day")) == [
        ("birthday", None, 4, 12)
    ]


@pytest.mark.parametrize(
    ("full", "names"),
    [
        ("Gina Generic", ("Gina", "Generic", "")),
        ("Dr. Gina Generic Jr.", ("Gina", "Generic", "")),
        ("Generic, Gina", ("Gina", "Generic", "")),
        ("Gina Maria Generic", ("Gina Maria", "Generic", "")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven", "")),
        ('Ann "Annie" Harris', ("Ann", "Harris", "Annie")),
        ("Madonna", ("Madonna", "", "")),
        ("Dr.", ("Dr.", "", "")),
        ("Mrs. Ann Lee", ("Ann", "Lee", "")),
        # Words nameparser also knows as titles are people's names here: none is lost.
        ("First Last NextCloud", ("First Last", "NextCloud", "")),
        ("Baron Davis", ("Baron", "Davis", "")),
        ("Count Basie", ("Count", "Basie", "")),
        ("King Charles", ("King", "Charles", "")),
    ],
)
def test_a_csv_full_name_is_split_into_given_and_family(
    tmp_path: Path, full: str, names: tuple[str, str, str]
) -> None:
    quoted = '"' + full.replace('"', '""') + '"'
    batch = import_run(actor=None, path=_file(tmp_path, "a.csv", f"name,email\n{quoted},\n"))
    assert (batch.created, batch.error_count) == (1, 0)
    assert list(Person.objects.values_list("given_name", "family_name", "preferred_name")) == [
        names
    ]


def test_a_column_mapped_to_full_name_and_a_card_with_only_fn_are_split(tmp_path: Path) -> None:
    import_run(
        actor=None,
        path=_file(tmp_path, "a.csv", "Guest,Room\nDr. Gina Generic,12\n"),
        mapping={"Guest": "full_name"},
    )
    import_run(actor=None, path=_file(tmp_path, "b.vcf", _card("FN:Hal Harbour")))
    assert list(Person.objects.order_by("id").values_list("given_name", "family_name")) == [
        ("Gina", "Generic"),
        ("Hal", "Harbour"),
    ]


def test_a_split_full_name_never_overwrites_a_stored_persons_names(tmp_path: Path) -> None:
    gina = person_create(
        actor=None, given_name="Georgina", family_name="Generic-Smith", emails=["gina@example.com"]
    ).person
    path = _file(tmp_path, "a.csv", "name,email,city\nGina Generic,gina@example.com,Halifax\n")
    batch = import_run(actor=None, path=path, dedupe="overwrite")
    assert (batch.created, batch.updated) == (0, 1)
    gina.refresh_from_db()
    assert (gina.given_name, gina.family_name, gina.locality) == (
        "Georgina",
        "Generic-Smith",
        "Halifax",
    )


def test_roles_dislikes_language_and_time_zone_come_in_from_a_card(tmp_path: Path) -> None:
    card = _card(
        "FN:Eve Moreau",
        "N:Moreau;Eve;;;",
        'EMAIL;TYPE="Custom":eve@example.com',
        "CATEGORIES:Sailing",
        "LANG:fr-CA",
        "TZ:America/Halifax",
        "X-GOODWILL-ROLE:supplier",
        "X-GOODWILL-ROLE:Guest / customer",
        "X-GOODWILL-DISLIKE:Karaoke",
        "item1.X-ABDATE;X-GOODWILL-KIND=custom:--1001",
        "item1.X-ABLabel:Shop opening",
    )
    batch = import_run(actor=None, path=_file(tmp_path, "a.vcf", card))
    assert (batch.created, batch.warning_count) == (1, 0)
    eve = Person.objects.get()
    assert (eve.language, eve.time_zone) == ("fr-CA", "America/Halifax")
    assert sorted(eve.roles.values_list("role", flat=True)) == ["guest", "supplier"]
    assert list(eve.emails.values_list("label", flat=True)) == ["Custom"]
    assert sorted(eve.interests.values_list("interest__name", "attitude", "source")) == [
        ("Karaoke", "dislikes", "imported"),
        ("Sailing", "likes", "imported"),
    ]
    assert list(Occasion.objects.values_list("kind", "label", "year", "month", "day")) == [
        ("custom", "Shop opening", None, 10, 1)
    ]


def test_an_unknown_role_language_or_time_zone_is_left_out_with_a_warning(tmp_path: Path) -> None:
    card = _card(
        "FN:Eve Moreau",
        "LANG:French please",
        "TZ:-0500",
        "CATEGORIES:Karaoke",
        "X-GOODWILL-ROLE:chef",
        "X-GOODWILL-ROLE:staff",
        "X-GOODWILL-DISLIKE:karaoke",
    )
    batch = import_run(actor=None, path=_file(tmp_path, "a.vcf", card))
    assert (batch.created, batch.error_count) == (1, 0)
    assert _warnings(batch) == [
        (
            7,
            "X-GOODWILL-ROLE",
            "chef is not a role (guest, staff, supplier, partner, lead); imported without it.",
        ),
        (9, "X-GOODWILL-DISLIKE", "karaoke is also a like; imported without it."),
        (
            4,
            "LANG",
            "French please is not a language tag such as fr or en-GB; imported without it.",
        ),
        (5, "TZ", "-0500 is not a known time zone; imported without it."),
    ]
    eve = Person.objects.get()
    assert (eve.given_name, eve.family_name, eve.language, eve.time_zone) == (
        "Eve",
        "Moreau",
        "",
        "",
    )
    assert list(eve.roles.values_list("role", flat=True)) == ["staff"]
    assert list(eve.interests.values_list("interest__name", "attitude")) == [("Karaoke", "likes")]


def test_a_matched_person_gains_roles_dislikes_and_empty_language_and_time_zone(
    tmp_path: Path,
) -> None:
    eve = person_create(
        actor=None, given_name="Eve", emails=["eve@example.com"], roles=["guest"], language="en"
    ).person
    give_interests(eve, "Karaoke")
    columns = "First Name,E-mail 1 - Value,Language,Time Zone,Goodwill Roles,Goodwill Dislikes\n"
    row = "Eve,eve@example.com,fr,Europe/Paris,staff ::: guest,Karaoke ::: Opera\n"
    path = _file(tmp_path, "a.csv", columns + row)
    batch = import_run(actor=None, path=path)
    assert (batch.created, batch.updated, batch.warning_count) == (0, 1, 0)
    eve.refresh_from_db()
    assert (eve.language, eve.time_zone) == ("en", "Europe/Paris")  # empty fields only
    assert sorted(eve.roles.values_list("role", flat=True)) == ["guest", "staff"]
    assert sorted(eve.interests.values_list("interest__name", "attitude")) == [
        ("Karaoke", "likes"),  # what we knew stays
        ("Opera", "dislikes"),
    ]
    batch = import_run(actor=None, path=path, dedupe="overwrite")
    eve.refresh_from_db()
    assert (batch.updated, eve.language) == (1, "fr")
    batch = import_run(actor=None, path=path, dedupe="overwrite")
    assert (batch.updated, batch.unchanged) == (0, 1)


def test_a_real_nextcloud_card_with_only_fn_keeps_every_word(tmp_path: Path) -> None:
    """Nextcloud's ``FN:First Last NextCloud`` (no N): "First" is a name here, not a title."""
    import_run(actor=None, path=REALDATA / "nextcloud-3.0-xabdate-x-anniversary.vcf")
    assert list(Person.objects.values_list("given_name", "family_name")) == [
        ("First Last", "NextCloud")
    ]
