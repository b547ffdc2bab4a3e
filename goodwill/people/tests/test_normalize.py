from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goodwill.people.normalize import fold, interest_key, normalise_email, normalise_phone


@given(st.text(max_size=60))
def test_interest_keys_are_stable_under_renormalising(text: str) -> None:
    key = interest_key(text)
    assert interest_key(key) == key
    assert key == key.strip()
    assert "  " not in key


@pytest.mark.parametrize(
    "spelling", ["Storm Chasing", "storm-chasing", "storm chasing ", "STORM_chasing"]
)
def test_spellings_of_one_interest_share_a_key(spelling: str) -> None:
    assert interest_key(spelling) == "storm chasing"


def test_fold_removes_accents_and_case() -> None:
    assert fold("  Zoë   CÔTÉ ") == "zoe cote"


def test_phones_without_plus_use_the_region() -> None:
    assert normalise_phone("902-555-0101", "CA") == "+19025550101"
    assert normalise_phone("020 7946 0958", "GB") == "+442079460958"
    with pytest.raises(ValueError, match="not a"):
        normalise_phone("12", "CA")


def test_emails_are_validated_and_lower_cased() -> None:
    assert normalise_email(" Ann@Example.COM ") == "ann@example.com"
    with pytest.raises(ValueError, match="@"):
        normalise_email("ann.example.com")
