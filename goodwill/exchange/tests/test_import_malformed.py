"""Property tests of the whole import on malformed CSV and vCard files: it never crashes, a file
it cannot read stores nothing, a row or card it reports as bad is never stored, and the good
rows around a bad one are stored all the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.core.errors import Invalid
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
DATES = ["", "1980-03-22", "--04-12", "1980-02-30", "--1340", "x"]
EMAILS = ["", "a{i}@example.com", "bad@", "=HYPERLINK(1)"]
# Rows the importer must store, rows it must refuse, rows whose fate is its own choice (bytes
# that are not text) but must be one or the other.
GOOD, BAD, EITHER = ("good", "multiline"), ("nameless", "too_long", "extra_columns"), ("noise",)
NOISE = [b"\x00", b"\xff\xfe", b"\xe4", b'"', b"\r", b"\xef\xbb\xbf", b";", b"\t"]


def _csv_row(kind: str, i: int, date: str, email: str, noise: bytes) -> bytes:
    given, family = f"G{i}", f"F{i}"
    notes = f"n{i}"
    if kind == "nameless":
        given = family = ""
    elif kind == "too_long":
        given = "g" * 200
    elif kind == "multiline":
        notes = f'"n{i}\nsecond line, with a comma"'
    cells = [given, family, notes, date, email.format(i=i)]
    if kind == "extra_columns":
        cells += ["extra", "more"]
    row = ",".join(cells).encode()
    if kind == "noise":
        row = row.replace(f"n{i}".encode(), b"n" + noise)
    return row + b"\n"


def _import(data: bytes, suffix: str) -> ImportBatch | None:
    """The finished batch, or None when the import refused the whole file (Invalid)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            return import_run(actor=None, path=path, dedupe="create", chunk=3)
        except Invalid as exc:
            assert f"fuzz{suffix}: " in exc.message  # noqa: PT017 - names the file
            return None


def _stored() -> list[str]:
    return list(Person.objects.values_list("family_name", flat=True))


@pytest.mark.django_db
@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([*GOOD, *BAD, *EITHER]),
            st.sampled_from(DATES),
            st.sampled_from(EMAILS),
            st.sampled_from(NOISE),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_malformed_csv_rows_are_refused_alone_and_never_stored(rows):
    Person.objects.all().delete()
    ImportBatch.objects.all().delete()
    data = b"First Name,Last Name,Notes,Birthday,E-mail 1 - Value\n"
    lines, line = [], 2
    for i, (kind, date, email, noise) in enumerate(rows):
        row = _csv_row(kind, i, date, email, noise)
        lines.append(line)
        line += len(row.splitlines())  # as the reader counts: CR, LF or CRLF
        data += row
    batch = _import(data, ".csv")
    stored = _stored()
    if batch is None:  # only bytes that are not text may make the whole file unreadable
        assert any(kind == "noise" for kind, *_ in rows)
        assert stored == []
        assert ImportBatch.objects.get().state == ImportBatch.State.FAILED
        return
    bad = {e["line"] for e in batch.errors}
    assert batch.created == len(stored)
    ours = [name for name in stored if name.startswith("F")]  # a CR splits a row in two
    assert len(ours) == len(set(ours))
    for i, (kind, *_rest) in enumerate(rows):
        is_stored = f"F{i}" in stored
        if kind == "too_long":
            is_stored = any(p.startswith("g" * 200) for p in Person.objects.values_list(
                "given_name", flat=True
            ))  # fmt: skip
        assert not (is_stored and lines[i] in bad), (kind, lines[i])
        if kind in BAD:
            assert lines[i] in bad, (kind, lines[i], batch.errors)
            assert not is_stored
        elif kind in GOOD:
            assert is_stored, (kind, lines[i], batch.errors)
        else:
            assert is_stored or lines[i] in bad


VCARD_NOISE = [
    "BDAY:--1340\n", "BDAY:x\n", "ANNIVERSARY:2020-13-01\n", "EMAIL;TYPE=work:a@\n",
    "TEL;CELL;PREF:123\n", "NOTE;ENCODING=QUOTED-PRINTABLE:=C3=\n", " folded\n",
    "item1.X-ABDATE:2001-01-01\n", "item1.X-ABLabel:_$!<Anniversary>!$_\n", "N:;;;\n",
    "FN:\n", "CATEGORIES:,,,\n", "PHOTO;VALUE=uri:http://example.com/x.jpg\n", "é\n", ";:\n",
]  # fmt: skip


def _card(i: int, noise: list[str], end: bool) -> str:
    return (
        "BEGIN:VCARD\nVERSION:3.0\n"
        + "".join(noise)
        + f"N:F{i};G{i};;;\nFN:G{i} F{i}\n"
        + ("END:VCARD\n" if end else "")
    )


@pytest.mark.django_db
@SETTINGS
@given(
    cards=st.lists(
        st.tuples(st.lists(st.sampled_from(VCARD_NOISE), max_size=3), st.booleans()),
        min_size=1,
        max_size=10,
    ),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_malformed_vcards_are_refused_alone_and_never_stored(cards, encoding):
    Person.objects.all().delete()
    text, starts, line = "", [], 1
    for i, (noise, end) in enumerate(cards):
        card = _card(i, noise, end)
        starts.append(line)
        line += card.count("\n")
        text += card
    batch = _import(text.encode(encoding, errors="replace"), ".vcf")
    stored = _stored()
    if batch is None:
        assert stored == []
        return
    bad = {e["line"] for e in batch.errors}
    assert batch.created == len(stored) == len(set(stored))
    for i, (noise, end) in enumerate(cards):
        assert not (f"F{i}" in stored and starts[i] in bad), (i, batch.errors)
        whole = end and (i == 0 or cards[i - 1][1])  # closed, and not swallowed by the last
        if whole and not noise:
            assert f"F{i}" in stored, (i, batch.errors)
