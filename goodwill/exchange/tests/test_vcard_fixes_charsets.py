"""vCard values in old phones' encodings: a QUOTED-PRINTABLE soft break before a space keeps
the space, literal letters beside ``=XX`` escapes stay as written, and a value in its own
CHARSET inside a UTF-8 file is read in that CHARSET (or its card refused, naming the line)."""

from __future__ import annotations

import codecs
import quopri
from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

NOT_TEXT = "The row has bytes that are not text."
CITIES = "Łódź – Kraków – Gdańsk – Poznań – Wrocław – Białystok"  # the file's own UTF-8 text
GUEST_NOTE = (
    "Guest since 2019, prefers the garden room and a late breakfast, no nuts, ok allergic to "
    "shellfish"
)


def _card(*lines: str, version: str = "2.1") -> bytes:
    content = ("BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD")
    return "".join(f"{line}\r\n" for line in content).encode("utf-8", "surrogateescape")


def _import(tmp_path: Path, data: bytes, actor: User) -> ImportBatch:
    path = tmp_path / "phone.vcf"
    path.write_bytes(data)
    return import_run(actor=actor, path=path, dedupe="create")


def _raw(text: str) -> str:
    """``text`` with ``\\xNN`` written as the single byte NN once the card is encoded."""
    return text.encode("latin-1").decode("utf-8", "surrogateescape")


def test_a_quoted_printable_soft_break_before_a_space_keeps_the_space(tmp_path, maria):
    encoded = quopri.encodestring(GUEST_NOTE.encode()).decode().replace("\n", "\r\n")
    assert encoded.endswith("ok=\r\n allergic to shellfish")  # how Python's encoder breaks it
    data = _card("N:Harris;Ann;;;", f"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:{encoded}")

    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors) == (1, [])
    assert Person.objects.get().notes == GUEST_NOTE


def test_folded_lines_still_drop_their_one_space_or_tab(tmp_path, maria):
    data = _card(
        "N:Harris;Ann;;;",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Caf=C3=A9 au la",
        " it, no nuts",
        "ORG:Harbour Inn",
        "TITLE:Night",
        "\t manager",
    ) + _card("N:Harris;Ben;;;", "NOTE:ok=", " allergic to shellfish", version="3.0")

    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors) == (2, [])
    ann, ben = Person.objects.order_by("given_name")
    assert ann.notes == "Café au lait, no nuts"
    assert ann.memberships.get().job_title == "Night manager"
    assert ben.notes == "ok=allergic to shellfish"  # no QUOTED-PRINTABLE: "=" is the text's own


def test_quoted_printable_keeps_the_letters_written_as_they_are(tmp_path, maria):
    data = _card(
        "N;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Wi=C5=9Bniewska;Zofia",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Łódź =C5=81=C3=B3d=C5=BA",
        "ORG;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Gr=FC=DFe aus Köln",
    )

    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors) == (1, [])
    zofia = Person.objects.get()
    assert (zofia.given_name, zofia.family_name) == ("Zofia", "Wiśniewska")
    assert zofia.notes == "Łódź Łódź"
    assert zofia.memberships.get().organisation.name == "Grüße aus Köln"


def test_a_value_in_its_own_charset_inside_a_utf8_file_is_read_in_it(tmp_path, maria):
    data = _card(
        "N;CHARSET=UTF-8:Wiśniewska;Zofia",
        f"NOTE;CHARSET=UTF-8:{CITIES}",
    ) + _card(
        _raw("N;CHARSET=ISO-8859-1:M\xfcller;J\xfcrgen"),
        _raw("FN;CHARSET=ISO-8859-1:J\xfcrgen M\xfcller"),
        _raw("NOTE;CHARSET=ISO-8859-1:Stammgast, bevorzugt das Zimmer zum Garten und ein sp\xe4"),
        _raw(" tes Fr\xfchst\xfcck"),
        _raw("ORG;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:K\xfcche =DC40"),
    )

    batch = _import(tmp_path, data, maria)

    assert (batch.state, batch.created, batch.errors) == ("done", 2, [])
    jurgen = Person.objects.get(family_name="Müller")
    assert jurgen.given_name == "Jürgen"
    assert jurgen.notes == "Stammgast, bevorzugt das Zimmer zum Garten und ein spätes Frühstück"
    assert jurgen.memberships.get().organisation.name == "Küche Ü40"
    assert Person.objects.get(given_name="Zofia").notes == CITIES


def test_a_charset_on_a_value_that_is_text_already_is_not_applied_again(tmp_path, maria):
    """A file converted to UTF-8 that kept its old CHARSET parameters: its text is read as the
    UTF-8 it is, never turned into "MÃ¼ller"."""
    data = _card("N;CHARSET=ISO-8859-1:Müller;Jürgen", "NOTE;CHARSET=X-KLINGON:Grüße")

    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors) == (1, [])
    jurgen = Person.objects.get()
    assert (jurgen.given_name, jurgen.family_name, jurgen.notes) == ("Jürgen", "Müller", "Grüße")


@pytest.mark.parametrize("params", ["", ";CHARSET=X-KLINGON", ";CHARSET=UTF-8", ";CHARSET=base64"])
def test_bytes_in_no_charset_or_one_that_does_not_fit_refuse_their_card_naming_the_line(
    tmp_path, maria, params
):
    data = _card("N:Wiśniewska;Zofia;;;", f"NOTE:{CITIES}") + _card(
        "EMAIL:juergen@example.com", _raw(f"N{params}:M\xfcller;J\xfcrgen")
    )

    batch = _import(tmp_path, data, maria)

    assert (batch.state, batch.created) == ("done", 1)
    assert batch.errors == [{"line": 9, "column": "N", "message": NOT_TEXT}]
    assert list(Person.objects.values_list("family_name", flat=True)) == ["Wiśniewska"]


def test_a_damaged_utf16_card_is_refused_alone(tmp_path: Path, maria: User) -> None:
    """UTF-16 (an old Outlook's export) with half a character: that card is refused with its
    line, the others are imported, and nothing crashes on a CHARSET it cannot apply."""
    good = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë One\r\nN:One;Zoë;;;\r\nEND:VCARD\r\n"
    bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nN;CHARSET=ISO-8859-1:Two;B"
    data = (
        codecs.BOM_UTF16_LE
        + good.encode("utf-16-le")
        + bad.encode("utf-16-le")
        + b"\x00\xd8"  # a high surrogate with no low one after it
        + "o;;;\r\nFN:Bo Two\r\nEND:VCARD\r\n".encode("utf-16-le")
        + good.replace("One", "Three").encode("utf-16-le")
    )

    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors) == (
        2,
        [{"line": 8, "column": "N", "message": NOT_TEXT}],
    )
    assert sorted(Person.objects.values_list("family_name", flat=True)) == ["One", "Three"]
