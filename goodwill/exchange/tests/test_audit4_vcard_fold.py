"""A vCard line folded inside a character (RFC 6350 3.2 folds at 75 bytes, so a UTF-8 letter
may be split in two) is joined again before it is decoded: the card is imported with its
letters whole, and a card that really holds bytes that are not text is still refused on its
own line."""

from __future__ import annotations

import pytest

from goodwill.exchange.importer import import_run
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

ZOE = "Zoë Ångström-Čapek"
NOTE = "日本語のメモ" * 10


def _fold(line: str) -> bytes:
    """``line`` folded every 75 bytes, as RFC 6350 says, wherever a character falls."""
    data, out = line.encode("utf-8"), []
    out.append(data[:75])
    data = data[75:]
    while data:
        out.append(b" " + data[:74])
        data = data[74:]
    return b"\r\n".join(out) + b"\r\n"


def _card(*lines: bytes) -> bytes:
    return b"BEGIN:VCARD\r\nVERSION:4.0\r\n" + b"".join(lines) + b"END:VCARD\r\n"


def test_a_line_folded_inside_a_character_is_one_line_of_whole_letters(tmp_path, maria):
    fn = _fold("FN:" + f"{ZOE} " * 5)
    note = _fold("NOTE:" + NOTE)
    assert fn.count(b"\r\n ") == 1
    assert note.count(b"\r\n ") == 2
    with pytest.raises(UnicodeDecodeError):  # the folds do split letters
        fn.split(b"\r\n")[0].decode("utf-8")
    path = tmp_path / "contacts.vcf"
    path.write_bytes(
        _card(fn, "N:Ångström-Čapek;Zoë;;;\r\n".encode(), b"EMAIL:zoe@example.com\r\n")
        + _card(b"FN:Taro Yamada\r\n", note)
    )

    batch = import_run(actor=maria, path=path)

    assert (batch.created, batch.errors, batch.warnings) == (2, [], [])
    zoe = Person.objects.get(given_name="Zoë")
    assert zoe.family_name == "Ångström-Čapek"
    taro = Person.objects.get(given_name="Taro")
    assert taro.notes == NOTE


def test_bytes_that_are_not_text_after_a_folded_card_are_refused_on_their_line(tmp_path, maria):
    fn = _fold("FN:" + f"{ZOE} " * 8)  # lines 3 to 5
    assert fn.count(b"\r\n") == 3
    path = tmp_path / "contacts.vcf"
    path.write_bytes(
        _card(fn, "N:Ångström-Čapek;Zoë;;;\r\n".encode(), b"EMAIL:zoe@example.com\r\n")
        + _card(b"FN:Ann Lee\r\n", b"NOTE:caf\xe9 \xff\r\n  au lait\r\n")
    )

    batch = import_run(actor=maria, path=path)

    assert batch.created == 1
    assert [(e["line"], e["column"], e["message"]) for e in batch.errors] == [
        (12, "NOTE", "The row has bytes that are not text.")
    ]
    assert Person.objects.get().given_name == "Zoë"
