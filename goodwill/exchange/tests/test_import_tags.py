"""Tags in imports: a CSV column called Tags (Mailchimp's TAGS too), goodwill's own vCard tags,
and categories when the import makes them tags, added to new and matched people with the batch
as their source; a file imported again adds none, a dry run counts as the real run, and a tag
too long is left out of its row with a warning."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person, PersonTag, Tag
from goodwill.people.services.persons import person_create
from goodwill.people.services.tags import person_tags_add

pytestmark = pytest.mark.django_db

CSV = (
    "First Name,Last Name,E-mail 1 - Value,Tags\n"
    'Ann,Lee,ann@example.com,"VIP, Wholesale"\n'
    "Bob,Stone,bob@example.com,\n"
    "Cy,Moss,cy@example.com,vip\n"
)


def _file(tmp_path: Path, text: str, name: str = "guests.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD", ""])


def _tags(given_name: str) -> list[str]:
    links = PersonTag.objects.filter(person__given_name=given_name).order_by("tag__key")
    return list(links.values_list("tag__name", flat=True))


def _interests(given_name: str) -> list[str]:
    person = Person.objects.get(given_name=given_name)
    return list(person.interests.order_by("interest__key").values_list("interest__name", flat=True))


def _counts(batch: ImportBatch) -> tuple[int, int, int, int]:
    return batch.created, batch.updated, batch.unchanged, batch.skipped


def test_a_tags_column_tags_each_person_with_the_import_as_its_source(
    tmp_path: Path, maria: User
) -> None:
    batch = import_run(actor=maria, path=_file(tmp_path, CSV))
    assert (batch.state, batch.created, batch.warning_count) == ("done", 3, 0)
    assert (_tags("Ann"), _tags("Bob"), _tags("Cy")) == (["VIP", "Wholesale"], [], ["VIP"])
    assert set(PersonTag.objects.values_list("source", "source_detail", "added_by")) == {
        ("imported", f"guests.csv, import {batch.pk}", maria.pk)
    }
    assert dict(Tag.objects.values_list("name", "people_count")) == {"VIP": 2, "Wholesale": 1}
    assert not Person.objects.get(given_name="Ann").interests.exists()
    entry = AuditEntry.objects.get(action="person_tag.bulk_add")
    assert entry.changes["source_detail"] == [None, f"guests.csv, import {batch.pk}"]


def test_importing_the_file_again_adds_no_tag_and_counts_everyone_unchanged(
    tmp_path: Path, maria: User
) -> None:
    path = _file(tmp_path, CSV)
    import_run(actor=maria, path=path)
    again = import_run(actor=maria, path=path)
    assert _counts(again) == (0, 0, 3, 0)
    assert PersonTag.objects.count() == 3
    assert AuditEntry.objects.filter(action="person_tag.bulk_add").count() == 1


def test_a_row_that_adds_a_tag_updates_its_person_and_a_dry_run_counts_the_same(
    tmp_path: Path, maria: User
) -> None:
    import_run(actor=maria, path=_file(tmp_path, CSV))
    more = CSV.replace("bob@example.com,", "bob@example.com,Supplier").replace(
        '"VIP, Wholesale"', "vip"
    )
    path = _file(tmp_path, more, "more.csv")
    dry = import_run(actor=maria, path=path, dry_run=True)
    assert PersonTag.objects.count() == 3
    real = import_run(actor=maria, path=path)
    assert _counts(dry) == _counts(real) == (0, 1, 2, 0)
    assert (_tags("Ann"), _tags("Bob")) == (["VIP", "Wholesale"], ["Supplier"])


def test_a_dry_run_of_new_people_counts_as_the_real_run(tmp_path: Path, maria: User) -> None:
    # Ann's second row adds a tag, Cy's second row adds nothing: across chunks too.
    text = CSV + "Ann,Lee,ann@example.com,Fair 2025\nCy,Moss,cy@example.com,VIP\n"
    path = _file(tmp_path, text)
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=2)
    real = import_run(actor=maria, path=path, chunk=2)
    assert _counts(dry) == _counts(real) == (3, 1, 1, 0)
    assert _tags("Ann") == ["Fair 2025", "VIP", "Wholesale"]


def test_rows_of_one_person_in_one_chunk_add_up_their_tags(tmp_path: Path, maria: User) -> None:
    text = CSV + "Ann,Lee,ann@example.com,Fair 2025 ::: wholesale\n"
    batch = import_run(actor=maria, path=_file(tmp_path, text))
    assert _counts(batch) == (3, 1, 0, 0)
    assert _tags("Ann") == ["Fair 2025", "VIP", "Wholesale"]


@pytest.mark.parametrize(
    ("dedupe", "tags", "counts"),
    [
        ("skip", ["Regular"], (0, 0, 0, 1)),
        ("update-empty", ["Regular", "vip"], (0, 1, 0, 0)),
        ("overwrite", ["Regular", "vip"], (0, 1, 0, 0)),
    ],
)
def test_tags_are_added_to_a_matched_person_unless_the_row_is_skipped(
    tmp_path: Path, maria: User, dedupe: str, tags: list[str], counts: tuple[int, ...]
) -> None:
    ann = person_create(actor=maria, given_name="Ann", emails=["ann@example.com"]).person
    person_tags_add(actor=maria, person=ann, names=["Regular"])
    text = "First Name,E-mail 1 - Value,Tags\nAnn,ann@example.com,vip ::: regular\n"
    batch = import_run(actor=maria, path=_file(tmp_path, text), dedupe=dedupe)
    assert _counts(batch) == counts
    assert _tags("Ann") == tags
    assert PersonTag.objects.get(tag__name="Regular").source == "told_us"  # kept as it was


def test_mailchimps_tags_column_tags_people(tmp_path: Path, maria: User) -> None:
    text = (
        "Email Address,First Name,Last Name,MEMBER_RATING,TAGS\n"
        'ann@example.com,Ann,Lee,2,"""VIP"",""Blog, weekly"""\n'
        "bob@example.com,Bob,Stone,3,Customer\n"
    )
    batch = import_run(actor=maria, path=_file(tmp_path, text, "members.csv"))
    assert (batch.created, batch.warning_count) == (2, 0)
    assert (_tags("Ann"), _tags("Bob")) == (["Blog, weekly", "VIP"], ["Customer"])


@pytest.mark.parametrize(
    ("categories", "tags", "interests"),
    [
        ("tags", ["Hiking", "VIP"], []),
        ("interests", ["VIP"], ["Hiking"]),
        ("ignore", ["VIP"], []),
    ],
)
def test_vcard_categories_follow_the_option_and_goodwills_own_tags_are_always_tags(
    tmp_path: Path, maria: User, categories: str, tags: list[str], interests: list[str]
) -> None:
    card = _card(
        "FN:Ann Lee", "N:Lee;Ann;;;", "CATEGORIES:Hiking", "CATEGORIES;TYPE=x-goodwill-tags:VIP"
    )
    batch = import_run(actor=maria, path=_file(tmp_path, card, "ann.vcf"), categories=categories)
    assert (batch.created, batch.warning_count) == (1, 0)
    assert (_tags("Ann"), _interests("Ann")) == (tags, interests)


def test_a_tag_too_long_is_left_out_with_a_warning_and_the_row_is_imported(
    tmp_path: Path, maria: User
) -> None:
    long = "x" * 101
    text = f"First Name,E-mail 1 - Value,Tags\nAnn,ann@example.com,VIP ::: {long}\n"
    batch = import_run(actor=maria, path=_file(tmp_path, text))
    assert (batch.created, batch.error_count, batch.warning_count) == (1, 0, 1)
    assert [(w["line"], w["column"], w["message"]) for w in batch.warnings] == [
        (2, "Tags", f"Tag “{'x' * 40}…”: At most 100 characters; imported without it.")
    ]
    assert _tags("Ann") == ["VIP"]


def test_a_file_without_tags_asks_nothing_about_tags(tmp_path: Path, maria: User) -> None:
    text = "First Name,E-mail 1 - Value,Labels\nAnn,ann@example.com,Hiking\n"
    with CaptureQueriesContext(connection) as queries:
        batch = import_run(actor=maria, path=_file(tmp_path, text))
    assert batch.created == 1
    assert not [q for q in queries if "tag" in q["sql"].lower()]


@pytest.mark.usefixtures("defer_early")
def test_a_large_import_with_deferred_indexes_keeps_every_tag(tmp_path: Path, maria: User) -> None:
    lines = ["First Name,Last Name,E-mail 1 - Value,Tags"]
    lines += [f"Guest{i},Lee,guest{i}@example.com,Group {i % 3}" for i in range(100)]
    # Rows after the indexes are deferred that match people of this file: a tag each.
    lines += [f"Guest{i},Lee,guest{i}@example.com,Late" for i in (5, 60, 95)]
    batch = import_run(actor=maria, path=_file(tmp_path, "\n".join(lines) + "\n"), chunk=10)
    assert (batch.state, batch.created, batch.updated) == ("done", 100, 3)
    assert dict(Tag.objects.values_list("name", "people_count")) == {
        "Group 0": 34,
        "Group 1": 33,
        "Group 2": 33,
        "Late": 3,
    }
    assert _tags("Guest95") == ["Group 2", "Late"]


def test_the_command_line_maps_a_column_to_tags_and_makes_categories_tags(
    tmp_path: Path,
) -> None:
    text = "First Name,Interests,Segment\nAnn,Wine,Wholesale\n"
    path = _file(tmp_path, text)
    call_command(
        "import", str(path), "--categories", "tags", "--map", "Segment=tags", stdout=io.StringIO()
    )
    assert (_tags("Ann"), _interests("Ann")) == (["Wholesale", "Wine"], [])
