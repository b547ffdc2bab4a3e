"""The journey rules: which stage a person's facts put them in, and the reason staff read."""

from __future__ import annotations

import datetime as dt

from goodwill.commerce.journey import Facts, stage_of, usual_interval

UTC = dt.UTC
TODAY = dt.date(2026, 12, 4)


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def stage(facts: Facts, regular_from: int = 4) -> tuple[str, str] | None:
    found = stage_of(facts, today=TODAY, regular_from=regular_from, zone=UTC)
    return None if found is None else (found.stage, found.reason)


def test_nothing_to_go_on_is_no_stage() -> None:
    assert stage(Facts()) is None


def test_an_inquiry_without_a_purchase_is_a_prospect() -> None:
    assert stage(Facts(inquired_at=at("2026-11-02"))) == (
        "prospect",
        "Asked on 2 Nov 2026; nothing bought yet.",
    )


def test_one_purchase_is_first_time() -> None:
    assert stage(Facts(bought=[at("2026-10-01")], inquired_at=at("2026-09-01"))) == (
        "first_time",
        "First bought on 1 Oct 2026.",
    )


def test_two_purchases_are_returning() -> None:
    assert stage(Facts(bought=[at("2026-11-20"), at("2026-06-01")])) == (
        "returning",
        "2 purchases; the last on 20 Nov 2026.",
    )


def test_the_business_number_of_purchases_within_12_months_makes_a_regular() -> None:
    bought = [at("2026-02-01"), at("2026-05-01"), at("2026-08-01"), at("2026-11-01")]

    assert stage(Facts(bought=bought)) == (
        "regular",
        "4 purchases in the last 12 months (a regular from 4).",
    )
    assert stage(Facts(bought=bought), regular_from=5)[0] == "returning"  # type: ignore[index]


def test_purchases_older_than_12_months_do_not_make_a_regular() -> None:
    bought = [at("2025-10-01"), at("2026-05-01"), at("2026-08-01"), at("2026-11-01")]

    assert stage(Facts(bought=bought))[0] == "returning"  # type: ignore[index]


def test_nothing_for_twice_the_usual_interval_is_lapsed() -> None:
    # Every 30 days until 1 September: 94 days since is more than twice 30.
    bought = [at("2026-07-03"), at("2026-08-02"), at("2026-09-01")]

    assert stage(Facts(bought=bought)) == (
        "lapsed",
        "Nothing since 1 Sep 2026; usually buys every 30 days.",
    )


def test_within_twice_the_usual_interval_is_not_lapsed() -> None:
    bought = [at("2026-08-05"), at("2026-09-04"), at("2026-10-04")]  # 61 days since, 2 × 30 = 60

    assert stage(Facts(bought=bought))[0] == "lapsed"  # type: ignore[index]
    bought = [at("2026-08-06"), at("2026-09-05"), at("2026-10-05")]  # 60 days: not more
    assert stage(Facts(bought=bought))[0] == "returning"  # type: ignore[index]


def test_a_one_time_buyer_lapses_after_18_months() -> None:
    # 18 calendar months after 4 June 2025 is today, 4 December 2026: not yet.
    assert stage(Facts(bought=[at("2025-06-04")]))[0] == "first_time"  # type: ignore[index]
    assert stage(Facts(bought=[at("2025-06-03")]))[0] == "lapsed"  # type: ignore[index]
    assert stage(Facts(bought=[at("2025-05-01")])) == (
        "lapsed",
        "Bought only on 1 May 2025, and nothing in the 18 months since.",
    )


def test_referring_someone_who_bought_makes_an_advocate() -> None:
    facts = Facts(bought=[at("2026-11-01")], referred_buyers=["Ben Okafor"])

    assert stage(facts) == ("advocate", "Referred Ben Okafor, who bought.")


def test_a_9_or_10_when_asked_makes_an_advocate_and_8_does_not() -> None:
    facts = Facts(bought=[at("2026-11-01")], best_score=9, best_score_at=at("2026-11-05"))
    assert stage(facts) == ("advocate", "Scored 9 of 10 when asked (5 Nov 2026).")

    facts.best_score = 8
    assert stage(facts)[0] == "first_time"  # type: ignore[index]


def test_lapsed_comes_before_advocate() -> None:
    facts = Facts(bought=[at("2025-01-01")], referred_buyers=["Ben Okafor"])

    assert stage(facts)[0] == "lapsed"  # type: ignore[index]


def test_the_usual_interval_is_the_median_gap_between_buying_days() -> None:
    days = [dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 11), dt.date(2026, 3, 12)]

    assert usual_interval(days) == 35  # gaps 10 and 60 between distinct days
    assert usual_interval([dt.date(2026, 1, 1), dt.date(2026, 1, 1)]) is None
