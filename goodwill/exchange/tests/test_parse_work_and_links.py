"""Reading every organisation with its own title, and what a card says about other cards: a
vCard's ORG and TITLE (grouped, ungrouped, in another language), a CSV's joined cells, a
card's UID, RELATED and the wedding it shares with its spouse."""

from __future__ import annotations

from pathlib import Path

from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import ContactRecord, Related, YearlyDate


def _one(tmp_path: Path, text: str, name: str) -> ContactRecord:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    [record] = list(open_import(path).records())
    assert isinstance(record, ContactRecord)
    return record


def _card(tmp_path: Path, *lines: str) -> ContactRecord:
    text = "\r\n".join(["BEGIN:VCARD", "VERSION:4.0", "FN:Ann Lee", *lines, "END:VCARD", ""])
    return _one(tmp_path, text, "ann.vcf")


def _work(record: ContactRecord) -> list[tuple[str, str]]:
    return [(record.organisation, record.job_title), *record.more_organisations]


def test_each_grouped_org_takes_its_groups_title(tmp_path: Path) -> None:
    record = _card(tmp_path, "org1.ORG:Inn", "org2.ORG:Co-op;Board", "org2.TITLE:Chair")
    assert _work(record) == [("Inn", ""), ("Co-op", "Chair")]


def test_ungrouped_orgs_take_the_ungrouped_titles_in_order(tmp_path: Path) -> None:
    record = _card(tmp_path, "ORG:Inn", "TITLE:Chef", "ORG:Co-op", "TITLE:Chair")
    assert _work(record) == [("Inn", "Chef"), ("Co-op", "Chair")]


def test_the_same_organisation_in_another_language_is_one(tmp_path: Path) -> None:
    record = _card(
        tmp_path, "ORG;ALTID=1;LANGUAGE=en:Harbour Inn", "ORG;ALTID=1;LANGUAGE=fr:Auberge"
    )
    assert _work(record) == [("Harbour Inn", "")]


def test_a_lone_org_takes_a_title_of_another_group(tmp_path: Path) -> None:
    assert _work(_card(tmp_path, "ORG:Inn", "item1.TITLE:Chef")) == [("Inn", "Chef")]


def test_csv_cells_joined_as_google_joins_them_pair_in_order(tmp_path: Path) -> None:
    text = (
        "First Name,Organization Name,Organization Title\nAnn,Inn ::: Co-op ::: Mill, ::: Chair\n"
    )
    record = _one(tmp_path, text, "ann.csv")
    assert _work(record) == [("Inn", ""), ("Co-op", "Chair"), ("Mill", "")]


def test_a_card_keeps_its_uid_the_cards_it_names_and_its_couple_date(tmp_path: Path) -> None:
    record = _card(
        tmp_path,
        "UID:urn:uuid:AAA",
        "RELATED;TYPE=spouse:urn:uuid:bbb",
        "RELATED;VALUE=text;TYPE=friend,colleague:Cy",
        "ANNIVERSARY:20150620",
        "X-GOODWILL-NOTE;X-GOODWILL-FOR=ANNIVERSARY:Roses\\, red",
    )
    assert record.uid == "urn:uuid:AAA"
    assert record.related == [
        Related(("spouse",), "urn:uuid:bbb"),
        Related(("colleague", "friend"), "Cy", text=True),
    ]
    # Its one spouse's card is named: the anniversary is the couple's wedding.
    date = YearlyDate(6, 20, 2015)
    assert (record.anniversaries, record.couple_dates) == (
        [],
        [("urn:uuid:bbb", "Anniversary", date)],
    )
    assert record.date_extras == {("wedding", "Anniversary", date): ("Roses, red", "")}
