"""Property tests: malformed CSV and vCard input never crashes the readers, a row that is
reported as bad is never also produced as a record, and a bad date only drops that date."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import ContactRecord, ImportFileError, RowError, YearlyDate

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CSV_PIECES = st.sampled_from(
    [b",", b";", b"\t", b'"', b'""', b"\n", b"\r\n", b"\r", b"Name", b"Email", b"Birthday",
     b"First Name", b"Phone", b"ann@example.com", b"1980-02-30", b"--13-40", b"\xff", b"\xe4",
     b"\xc3\xa9", b"\x00", b"\xef\xbb\xbf", b" ::: ", b"x", b"0.0.00", b"3/22/1980"]
)  # fmt: skip
VCARD_PIECES = st.sampled_from(
    ["BEGIN:VCARD\n", "END:VCARD\n", "VERSION:2.1\n", "VERSION:4.0\n", "FN:Ann\n", "N:;;;\n",
     "N:A;B;C;D;E;F;G\n", "EMAIL;TYPE=work:a@b.c\n", "TEL;CELL;PREF:123\n", "BDAY:--1340\n",
     "BDAY:1604-02-29\n", "BDAY:x\n", "ANNIVERSARY:2020-13-01\n", "item1.X-ABDATE:2001-01-01\n",
     "item1.X-ABLabel:_$!<Anniversary>!$_\n", "NOTE;ENCODING=QUOTED-PRINTABLE:=C3=\n", "=A9\n",
     " folded\n", "\t", ";", ":", "=", "\\", '"', "\n", "\r", "PHOTO;ENCODING=b:AAAA\n",
     "X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;;;\n", "ADR:;;;;;;;;;\n",
     "CATEGORIES:,,,\n", "KIND:group\n", "\ufeff", "é", "\x00"]
)  # fmt: skip


def _parse(data: bytes, suffix: str) -> list[ContactRecord | RowError]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            return list(open_import(path).records())
        except ImportFileError as exc:
            assert exc.message.startswith(f"input{suffix}: ")  # noqa: PT017
            return []


def _check(items: list[ContactRecord | RowError]) -> None:
    assert all(isinstance(i, ContactRecord | RowError) for i in items)
    lines = [i.line for i in items]
    # One item per row or card, in file order: no line is both an error and a record.
    assert lines == sorted(set(lines))
    for item in items:
        if isinstance(item, ContactRecord):
            assert item.has_content()
            dates = [item.birthday] + [d for _label, d in item.anniversaries]
            assert all(d is None or isinstance(d, YearlyDate) for d in dates)


@SETTINGS
@given(st.lists(CSV_PIECES, max_size=80))
def test_malformed_csv_never_crashes(pieces):
    _check(_parse(b"".join(pieces), ".csv"))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    _check(_parse(data, ".csv"))
    _check(_parse(b"BEGIN:VCARD\r\n" + data, ".vcf"))


@SETTINGS
@given(st.lists(VCARD_PIECES, max_size=60), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_malformed_vcard_never_crashes(pieces, encoding):
    text = "BEGIN:VCARD\n" + "".join(pieces)
    _check(_parse(text.encode(encoding, errors="replace"), ".vcf"))


NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéß ", min_size=1, max_size=12)
BAD = ("31.02.1980", "--13-01")
DATES = st.sampled_from(["", "1980-03-22", "--04-12", "22.03.1980", *BAD])


@SETTINGS
@given(st.lists(st.tuples(NAMES, DATES), min_size=1, max_size=30))
def test_exactly_the_nameless_rows_are_reported_and_bad_dates_only_dropped(rows):
    body = "".join(f'"{name}",{date}\n' for name, date in rows)
    items = _parse(("Name,Birthday\n" + body).encode(), ".csv")
    line = {i: i + 2 for i in range(len(rows))}  # the header is line 1
    invalid = {line[i] for i, (_n, date) in enumerate(rows) if date in BAD}
    nameless = {line[i] for i, (name, date) in enumerate(rows) if not name.strip() and date}
    good = [line[i] for i, (name, _d) in enumerate(rows) if name.strip()]
    assert [i.line for i in items if isinstance(i, RowError)] == sorted(nameless)
    records = [i for i in items if isinstance(i, ContactRecord)]
    assert [r.line for r in records] == good
    assert [r.full_name for r in records] == [rows[r.line - 2][0].strip() for r in records]
    assert [r.line for r in records if r.dropped] == sorted(invalid - nameless)
    assert all(r.birthday is None for r in records if r.line in invalid)
    assert all(r.birthday is not None for r in records if rows[r.line - 2][1] not in ("", *BAD))
