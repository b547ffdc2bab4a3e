"""A few stray bytes in an otherwise ASCII (or Western) CSV are damage, not a legacy East-Asian or
Cyrillic encoding: the file reads as it otherwise would and only the damaged rows are refused,
naming their line. Real GB18030, Big5, Shift-JIS and Windows-1251 files still read as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import ContactRecord, RowError
from goodwill.people.models import Person

NOT_TEXT = "The row has bytes that are not text."
HEAD = b"Name,Email\nAnn Lee,a@example.com\n"
TAIL = b"Cy Dee,c@example.com\n"
# Enough plain ASCII rows to fill the first 64 KiB, which the encoding is found from.
PLAIN = "".join(f"Ann{i} Harris{i},a{i}@example.com,{'x' * 80}\n" for i in range(800))


def _read(tmp_path: Path, data: bytes) -> list[ContactRecord | RowError]:
    path = tmp_path / "guests.csv"
    path.write_bytes(data)
    return list(open_import(path).records())


def _import(tmp_path: Path, data: bytes, actor: User) -> ImportBatch:
    path = tmp_path / "guests.csv"
    path.write_bytes(data)
    return import_run(actor=actor, path=path, dedupe="create")


def _names(items: list[ContactRecord | RowError]) -> list[str]:
    return [i.full_name for i in items if isinstance(i, ContactRecord)]


def _errors(items: list[ContactRecord | RowError]) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in items if isinstance(e, RowError)]


@pytest.mark.django_db
def test_one_stray_byte_in_an_ascii_csv_refuses_its_row_and_keeps_the_others(tmp_path, maria):
    batch = _import(tmp_path, HEAD + b"B\x81o Ray,b@example.com\n" + TAIL, maria)

    assert (batch.state, batch.created, batch.encoding) == ("done", 2, "utf-8")
    assert batch.errors == [{"line": 3, "column": "Name", "message": NOT_TEXT}]
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Ann", "Cy"]


@pytest.mark.parametrize(
    "damaged",
    [b"B\x81o Ray", b"B\x90o Ray", b"B\x8do Ray", b"B\x9do Ray", b"B\x8fo Ray", b"Bo\x81 Ray"],
    ids=["81", "90", "8d", "9d", "8f", "81-before-space"],
)
def test_a_byte_windows_1252_leaves_undefined_is_damage_not_another_encoding(tmp_path, damaged):
    items = _read(tmp_path, HEAD + damaged + b",b@example.com\n" + TAIL)

    assert _names(items) == ["Ann Lee", "Cy Dee"]
    assert _errors(items) == [(3, "Name", NOT_TEXT)]


def test_stray_bytes_on_two_rows_refuse_those_two_rows(tmp_path):
    data = HEAD + b"B\x81o Ray,b@example.com\n" + b"Cy D\x90ee,c@example.com\nDi Fox,d@x.org\n"

    items = _read(tmp_path, data)

    assert _names(items) == ["Ann Lee", "Di Fox"]
    assert _errors(items) == [(3, "Name", NOT_TEXT), (4, "Name", NOT_TEXT)]


def test_a_stray_byte_in_a_windows_1252_csv_keeps_its_accents(tmp_path):
    data = "Name,Email\nJürgen Müller,j@example.com\n".encode("cp1252") + b"B\x81o,b@x.org\n"

    items = _read(tmp_path, data)

    assert _names(items) == ["Jürgen Müller"]
    assert _errors(items) == [(3, "Name", NOT_TEXT)]


def test_a_stray_byte_after_64_kib_of_ascii_refuses_its_row_and_keeps_later_accents(tmp_path):
    data = (
        b"Name,Email,Notes\n"
        + PLAIN.encode()
        + b"B\x81o Ray,b@example.com,\n"
        + PLAIN.encode()
        + "Zoë Ångström,z@example.com,Grüße\n".encode()
    )

    items = _read(tmp_path, data)

    assert _errors(items) == [(802, "Name", NOT_TEXT)]
    assert _names(items)[-1] == "Zoë Ångström"


def test_a_stray_byte_in_the_first_64_kib_lets_later_windows_1252_accents_decide(tmp_path):
    data = (
        b"Name,Email,Notes\nB\x81o Ray,b@example.com,\n"
        + PLAIN.encode()
        + "Jürgen Müller,j@example.com,Grüße\n".encode("cp1252")
    )

    items = _read(tmp_path, data)

    assert _errors(items) == [(2, "Name", NOT_TEXT)]
    assert _names(items)[-1] == "Jürgen Müller"


ROWS = {
    "gb18030": ["王伟", "李娜", "张敏", "刘洋", "陈静"],
    "big5": ["陳大文", "林美玲", "張志明", "王小華"],
    "shift_jis": ["山田太郎", "佐藤花子", "高橋ソニー", "田中アイカ"],
    "cp1251": ["Иван Петров", "Ольга Смирнова", "Ѓорѓи Ќосе"],
}


@pytest.mark.parametrize("encoding", sorted(ROWS))
def test_real_legacy_files_still_read_in_their_encoding(tmp_path, encoding):
    names = ROWS[encoding] * 6
    text = "Name,Email\n" + "".join(f"{n},p{i}@example.com\n" for i, n in enumerate(names))

    items = _read(tmp_path, text.encode(encoding))

    assert open_import(tmp_path / "guests.csv").encoding == encoding
    assert (_names(items), _errors(items)) == (names, [])


def test_one_japanese_row_among_ascii_rows_still_reads_as_shift_jis(tmp_path):
    text = "Name,Email\n" + "Ann Lee,a@example.com\n" * 50 + "山田太郎,y@example.com\n"

    items = _read(tmp_path, text.encode("shift_jis"))

    assert (_names(items)[-1], _errors(items)) == ("山田太郎", [])


@pytest.mark.parametrize(
    ("encoding", "rows"),
    [
        # Characters beside digits, as addresses are written in Japan and China.
        (
            "shift_jis",
            ["Taro Yamada1,t1@x.jp,港区1丁目2番3号", "Hana Sato2,h2@x.jp,北区4丁目5番6号"],
        ),
        ("gb18030", ["Wang Wei,w@x.cn,1号楼1单元", "Li Na,l@x.cn,3号楼2单元"]),
        # Russian and Greek in their Windows code pages: whole words of letters Windows-1252
        # would read as Latin ("Èâàí Ïåòðîâ").
        ("cp1251", ["Иван Петров,i@x.ru,Москва", "Ольга Смирнова,o@x.ru,Тверь"]),
        ("cp1253", ["Γιώργος Νικολάου,g@x.gr,Αθήνα", "Μαρία Παππά,m@x.gr,Πάτρα"]),
        # A small Czech file whose letters are mostly those Windows-1252 leaves undefined.
        ("cp1250", ["Ján Ťahan,j@x.cz,Ťahanovce", "Peťo Ťapák,p@x.cz,Žilina"]),
    ],
)
def test_small_legacy_files_with_digits_or_rare_letters_still_read(tmp_path, encoding, rows):
    text = "Name,Email,Address\n" + "\n".join(rows) + "\n"

    items = _read(tmp_path, text.encode(encoding))

    assert open_import(tmp_path / "guests.csv").encoding == encoding
    assert (_names(items), _errors(items)) == ([r.split(",")[0] for r in rows], [])


TURKISH = ["Ayşe Yılmaz", "Ömer Çağlar", "İsmail Gündoğdu", "Şükrü Işık"]


def test_a_turkish_windows_1254_csv_keeps_its_turkish_letters(tmp_path):
    text = "Name,Email\n" + "".join(f"{n},t{i}@example.com.tr\n" for i, n in enumerate(TURKISH))

    items = _read(tmp_path, text.encode("cp1254"))

    assert open_import(tmp_path / "guests.csv").encoding == "cp1254"
    assert (_names(items), _errors(items)) == (TURKISH, [])


def test_turkish_letters_after_64_kib_of_ascii_read_as_turkish(tmp_path):
    text = "Name,Email,Note\n" + PLAIN + "Ayşe Yılmaz,ayse@example.com.tr,x\n"

    items = _read(tmp_path, text.encode("cp1254"))

    assert (_names(items)[-1], _errors(items)) == ("Ayşe Yılmaz", [])


@pytest.mark.parametrize(
    "names",
    [
        # Icelandic: its "ð", "þ" and "ý" come with "á", "ó" or "æ", which Turkish lacks.
        ["Björk Guðmundsdóttir", "Þórunn Jónsdóttir", "Ýr Sæmundsdóttir"],
        # A German file with an Icelandic guest keeps both.
        ["Jürgen Müller", "Gunnar Þorsteinsson", "Heiðar Gíslason", "Anna Weiß"],
        # Czech and Slovak names in Windows-1252 have "ý", which Turkish "ı" also reads as.
        ["Jan Nový", "Petr Malý", "Anna Smith"],
        ["Hans Müller", "Jürgen Schröder", "Eva Dvorský"],
        # Icelandic "ð" and "þ" beside only "ö", which Turkish has too.
        ["Sigurður Thorsson", "Þorgerður Björk"],
    ],
)
def test_icelandic_names_in_windows_1252_stay_icelandic(tmp_path, names):
    text = "Name,Email\n" + "".join(f"{n},p{i}@example.is\n" for i, n in enumerate(names))

    items = _read(tmp_path, text.encode("cp1252"))

    assert open_import(tmp_path / "guests.csv").encoding == "cp1252"
    assert (_names(items), _errors(items)) == (names, [])


@pytest.mark.parametrize("damaged", [b"Ren\xe9e Lef\xe8vre", b"Bad\xff\xfeRow"])
def test_one_latin_1_row_with_two_accents_does_not_turn_later_utf_8_into_gibberish(
    tmp_path, damaged
):
    data = (
        b"Name,Email,Notes\n"
        + PLAIN.encode()
        + damaged
        + b",r@example.com,\n"
        + "José Pear,jose@example.com,\n".encode()
    )

    items = _read(tmp_path, data)

    assert open_import(tmp_path / "guests.csv").encoding == "utf-8"
    assert _errors(items) == [(802, "Name", NOT_TEXT)]
    assert _names(items)[-1] == "José Pear"
