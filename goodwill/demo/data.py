"""The demo business: Harris Hall B&B in Granville Ferry, Nova Scotia (fictional people).

Plain data, kept in ``harris_hall.json`` beside this module; ``goodwill.demo.loader`` turns it
into records through the services. Phone numbers use the fictional 555-01xx range and emails the
example domains. The shapes of the lists:

- USERS: (email, role, given, family) — logins; each belongs to the person with the same email.
- ORGANISATIONS: (name, website).
- PEOPLE: dicts of Person fields plus ``key``, ``roles``, ``email``, ``phone``, ``org``
  ((organisation, job title)) and ``source`` (how we know them; told us when absent); staff
  first, then guests (couples, families, regulars), then suppliers and partners.
- HOUSEHOLDS: (name, member keys, shared address).
- RELATIONSHIPS: (person, kind, other, since) — "person is the <kind> of other".
- INTERESTS: (person, interest, source, noted by (staff key or None), note, attitude) —
  specific interests a staff member shares with guests, generic ones most people share (they
  rank last in connections), and dislikes.
- TAGS: (person, tag, staff key who added it) — the inn's own labels for people.
- INTERACTIONS: (person, days ago, local time, kind, direction, intent, staff, summary, body).
- OCCASIONS: (person key or "household:<name>", kind, "MM-DD" or days from the load date, year
  or null, label). Couples' wedding anniversaries come from RELATIONSHIPS' wedding dates.
- OCCASION_MEMORY: (person key, occasion kind, what we did, summary, channel, offer used) — last
  year's touches.
- PURCHASES: (person, kind, days ago (a stay's check-in), nights or null, amount or null,
  what, category, channel, staff key who logged it) — stays, purchases and an inquiry that put
  guests in every journey stage.
- HEARD: (person key or null, days ago, staff key, category, sentiment, what they said).
- FOLLOWUPS: (person key, staff key, how, answer, category, sentiment) — "how was it?" asked
  about that person's latest stay.
- TOPICS: (name, description) — what the inn writes to people about.
- CONSENTS: (person key, topic name or null for everything, staff key who recorded it, what
  the guest said) — express opt-ins.
- OFFERS: dicts with ``name``, ``topic``, ``interests``, ``occasion_kinds``, ``subject``,
  ``body``, ``code_prefix``, ``valid_days`` (from the load date) and ``campaign`` (the name of
  a draft campaign for it, ready to preview).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "ferry-demo-password"  # noqa: S105 (printed by `make run`; demo only)

_DATA: dict[str, Any] = json.loads(
    Path(__file__).with_name("harris_hall.json").read_text(encoding="utf-8")
)
BUSINESS: dict[str, str] = _DATA["BUSINESS"]
USERS: list[list[str]] = _DATA["USERS"]
ORGANISATIONS: list[list[str]] = _DATA["ORGANISATIONS"]
PEOPLE: list[dict[str, Any]] = _DATA["PEOPLE"]
HOUSEHOLDS: list[list[Any]] = _DATA["HOUSEHOLDS"]
RELATIONSHIPS: list[list[Any]] = _DATA["RELATIONSHIPS"]
INTERESTS: list[list[Any]] = _DATA["INTERESTS"]
TAGS: list[list[str]] = _DATA["TAGS"]
INTERACTIONS: list[list[Any]] = _DATA["INTERACTIONS"]
OCCASIONS: list[list[Any]] = _DATA["OCCASIONS"]
OCCASION_MEMORY: list[list[Any]] = _DATA["OCCASION_MEMORY"]
PURCHASES: list[list[Any]] = _DATA["PURCHASES"]
HEARD: list[list[Any]] = _DATA["HEARD"]
FOLLOWUPS: list[list[Any]] = _DATA["FOLLOWUPS"]
TOPICS: list[list[str]] = _DATA["TOPICS"]
CONSENTS: list[list[Any]] = _DATA["CONSENTS"]
OFFERS: list[dict[str, Any]] = _DATA["OFFERS"]
