"""Whatever the rows hold, the importer never crashes, never stores a row it refused, and stores
every other row without exactly the values it warned about."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.exchange.importer import import_run
from goodwill.people.models import Person
from goodwill.people.normalize import normalise_email

_text = st.text(alphabet="ab@.+-1239 ()=é", max_size=14)
# A name, none (refused), or one too long to store (refused).
_names = st.sampled_from(["good", "none", "long"])
_NAME = {"good": "Ann{i}", "none": "", "long": "n" * 151}
_rows = st.lists(
    st.tuples(_names, _text, _text, st.sampled_from(["", "1980-02-30", "--04-12", "x"])),
    min_size=1,
    max_size=8,
)


def _email(value: str) -> list[str]:
    try:
        return [normalise_email(value)]
    except ValueError:
        return []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows)
def test_refused_rows_are_never_stored_and_warned_values_never_written(db, rows):
    Person.objects.all().delete()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["First Name", "Notes", "Email", "Phone", "Birthday"])
    for i, (name, email, phone, birthday) in enumerate(rows):
        writer.writerow([_NAME[name].format(i=i), f"P{i}", email, phone, birthday])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        batch = import_run(actor=None, path=path, dedupe="create")
    bad = {f"P{e['line'] - 2}" for e in batch.errors}
    stored = {p.notes: p for p in Person.objects.all()}
    assert not bad & set(stored)
    assert batch.created == len(stored) == len(rows) - len(bad)
    assert bad == {f"P{i}" for i, row in enumerate(rows) if row[0] != "good"}
    for i, (_name, email, _phone, birthday) in enumerate(rows):
        if person := stored.get(f"P{i}"):
            assert list(person.emails.values_list("email", flat=True)) == _email(email)
            assert person.occasions.exists() == (birthday == "--04-12")
    warned = {(w["line"] - 2, w["column"]) for w in batch.warnings}
    for i, (name, email, _phone, birthday) in enumerate(rows):
        if name == "good":
            assert ((i, "Email") in warned) == bool(email.strip() and not _email(email))
            assert ((i, "Birthday") in warned) == (birthday in ("1980-02-30", "x"))
