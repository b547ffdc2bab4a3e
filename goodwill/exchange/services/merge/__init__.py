"""Merge two people into one (managers and owners): everything about ``other`` moves to
``survivor``, chosen fields are taken from ``other``, then ``other`` is deleted.

``service`` runs the merge; each other module is one part of it: ``fields`` (whose values the
survivor keeps), ``facts``, ``occasions``, ``ties``, ``touch`` (own contact limits), ``login``
and ``rest`` (everything else that names the other person)."""

from goodwill.exchange.services.merge.fields import (
    CHOICES,
    MERGE_FIELDS,
    NOTES_BOTH,
    PERSON_FIELDS,
    merge_clean_fields,
    merged_values,
)
from goodwill.exchange.services.merge.login import (
    LOGIN_OWNERS_ONLY,
    LOGINS_BOTH,
    LoginPlan,
    merge_login_plan,
)
from goodwill.exchange.services.merge.rest import HANDLED, ONE_TO_ONE
from goodwill.exchange.services.merge.service import (
    merge_pair_check,
    person_merge,
    person_merged_into,
)

__all__ = [
    "CHOICES",
    "HANDLED",
    "LOGINS_BOTH",
    "LOGIN_OWNERS_ONLY",
    "MERGE_FIELDS",
    "NOTES_BOTH",
    "ONE_TO_ONE",
    "PERSON_FIELDS",
    "LoginPlan",
    "merge_clean_fields",
    "merge_login_plan",
    "merge_pair_check",
    "merged_values",
    "person_merge",
    "person_merged_into",
]
