"""Whatever the rows hold, the importer never crashes and never stores a row it reported."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.exchange.importer import import_run
from goodwill.people.models import Person

_text = st.text(alphabet="ab@.+-1239 ()=é", max_size=14)
_rows = st.lists(
    st.tuples(_text, _text, st.sampled_from(["", "1980-02-30", "--04-12", "x"])),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows)
def test_bad_rows_are_never_stored(db, rows):
    Person.objects.all().delete()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["First Name", "Email", "Phone", "Birthday"])
    for i, (email, phone, birthday) in enumerate(rows):
        writer.writerow([f"P{i}", email, phone, birthday])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        batch = import_run(actor=None, path=path, dedupe="create")
    bad = {f"P{e['line'] - 2}" for e in batch.errors}
    stored = set(Person.objects.values_list("given_name", flat=True))
    assert not bad & stored
    assert batch.created == len(stored) == len(rows) - len(bad)
