"""A person listed twice in one file: the second row counts as "unchanged" when it adds
nothing, "updated" when it adds something, whether the two rows share a chunk or not, and a
dry run counts what the real run then does."""

from __future__ import annotations

import pytest

from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

HEADER = "First Name,Last Name,Email,Phone,Company,Birthday\n"
ANN = "Ann,Lee,ann@example.com,+1 902 555 0101,Acme,1980-03-22"


def _counts(batch: ImportBatch) -> tuple[int, int, int]:
    return batch.created, batch.updated, batch.unchanged


@pytest.mark.parametrize("chunk", [5000, 1])
def test_the_same_row_twice_is_unchanged_the_second_time(tmp_path, chunk, maria):
    path = tmp_path / "guests.csv"
    path.write_text(f"{HEADER}{ANN}\nBen,Roy,ben@example.com,,,\n{ANN}\n", encoding="utf-8")
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    real = import_run(actor=maria, path=path, chunk=chunk)
    assert _counts(dry) == _counts(real) == (2, 0, 1)


@pytest.mark.parametrize("chunk", [5000, 1])
def test_a_second_row_that_adds_a_phone_is_an_update(tmp_path, chunk, maria):
    path = tmp_path / "guests.csv"
    more = "Ann,Lee,ann@example.com,+1 902 555 0199,Acme,1980-03-22"
    path.write_text(f"{HEADER}{ANN}\n{more}\n{ANN}\n", encoding="utf-8")
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    real = import_run(actor=maria, path=path, chunk=chunk)
    # The third row is the first again: everything it holds is stored by then.
    assert _counts(real) == (1, 1, 1)
    assert _counts(dry) == _counts(real)
    ann = Person.objects.get(given_name="Ann")
    assert sorted(ann.phones.values_list("e164", flat=True)) == ["+19025550101", "+19025550199"]


@pytest.mark.parametrize("chunk", [5000, 1])
def test_a_second_row_with_less_is_unchanged(tmp_path, chunk, maria):
    path = tmp_path / "guests.csv"
    path.write_text(f"{HEADER}{ANN}\nAnn,Lee,ann@example.com,,,\n", encoding="utf-8")
    real = import_run(actor=maria, path=path, chunk=chunk)
    assert _counts(real) == (1, 0, 1)


@pytest.mark.parametrize("chunk", [5000, 1])
def test_a_stored_person_in_two_rows_counts_as_the_real_run_does(tmp_path, chunk, maria):
    """Ann is stored before the import; the file adds her phone, then lists her again with
    that phone. The real run updates her once; the dry run said the same beforehand."""
    first = tmp_path / "first.csv"
    first.write_text(f"{HEADER}Ann,Lee,ann@example.com,,,\n", encoding="utf-8")
    import_run(actor=maria, path=first)
    path = tmp_path / "guests.csv"
    rows = [ANN, "Ben,Roy,ben@example.com,,,", ANN, "Ann,Lee,ann@example.com,,Acme,"]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    real = import_run(actor=maria, path=path, chunk=chunk)
    assert _counts(real) == (1, 1, 2)
    assert _counts(dry) == _counts(real)
    ann = Person.objects.get(given_name="Ann")
    assert list(ann.phones.values_list("e164", flat=True)) == ["+19025550101"]


@pytest.mark.parametrize("chunk", [5000, 1])
@pytest.mark.parametrize(
    ("first", "again", "counts"),
    [
        # Found by the phone of someone without an email, and adding an email: updated.
        ("Bob,Ray,,+19025550102,", "B.,Ray,bob@example.com,902 555 0102,", (2, 1, 0)),
        # The same row without email or phone, found by name and organisation: unchanged.
        ("Cy,Doe,,,Acme", "Cy,Doe,,,Acme", (2, 0, 1)),
        # An initial for the given name adds nothing when empty fields only are filled in.
        ("Bob,Ray,,+19025550102,", "B.,Ray,,902 555 0102,", (2, 0, 1)),
    ],
)
def test_a_later_row_of_a_person_the_file_creates_counts_as_the_real_run(
    tmp_path, chunk, maria, first, again, counts
):
    """The second row of a person comes after another row (in a later chunk with chunk=1):
    the dry run finds and compares it as the real run does."""
    path = tmp_path / "guests.csv"
    path.write_text(f"{HEADER}{first}\nBen,Roy,ben@example.com,,,\n{again}\n", encoding="utf-8")
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    real = import_run(actor=maria, path=path, chunk=chunk)
    assert _counts(real) == counts
    assert _counts(dry) == _counts(real)
