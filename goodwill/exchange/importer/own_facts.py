"""goodwill's own facts of a record, checked for the importer: known roles (by code or name),
dislikes that are not also likes, a BCP 47 language tag, a time zone the people services know,
and tags. Pure: no database access.

What cannot be stored is left out, and comes back with the column that held it and why
(``Problem``): the row lists each one as a warning and is imported without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.exchange.importer.related import Problem
from goodwill.exchange.parse.records import ContactRecord
from goodwill.people.models import PersonRole
from goodwill.people.normalize import interest_key
from goodwill.people.services.person_input import clean_scalars
from goodwill.people.services.tags import tag_name_clean

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # BCP 47: "fr", "en-GB"
_SHOWN = 40  # characters of a value a warning quotes


@lru_cache(maxsize=1)
def _role_codes() -> dict[str, str]:
    """Each role by its code and by its name ("guest", "Guest / customer")."""
    codes = {code.casefold(): code for code in PersonRole.Role.values}
    return codes | {str(label).casefold(): code for code, label in PersonRole.Role.choices}


@lru_cache(maxsize=256)
def _time_zone_known(value: str) -> bool:
    """Whether the people services accept ``value`` as a time zone (their own check)."""
    try:
        clean_scalars({"time_zone": value})
    except Invalid:
        return False
    return True


def checked_roles(record: ContactRecord) -> tuple[list[str], list[Problem]]:
    """The record's known role codes, once each; a role goodwill does not have is a problem."""
    roles: list[str] = []
    problems: list[Problem] = []
    for raw in record.roles:
        code = _role_codes().get(raw.strip().casefold())
        if code is None:
            known = ", ".join(PersonRole.Role.values)
            reason = _("%(v)s is not a role (%(known)s)") % {"v": raw, "known": known}
            problems.append((record.column("roles"), reason))
        elif code not in roles:
            roles.append(code)
    return roles, problems


def checked_dislikes(
    record: ContactRecord, likes: Iterable[str]
) -> tuple[list[str], list[Problem]]:
    """The record's dislikes, once each by interest key; one that is also among ``likes``
    (interest names) is a problem."""
    liked = {interest_key(name) for name in likes}
    dislikes: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for raw in record.dislikes:
        key = interest_key(raw)
        if not key or key in seen:
            continue
        seen.add(key)
        if key in liked:
            reason = _("%(v)s is also a like") % {"v": raw.strip()}
            problems.append((record.column("dislikes"), reason))
        else:
            dislikes.append(raw.strip())
    return dislikes, problems


def checked_locale(record: ContactRecord) -> tuple[str, str, list[Problem]]:
    """A BCP 47 language tag ("fr", "en-GB") and a known time zone ("" for none)."""
    problems: list[Problem] = []
    language = record.language.strip().replace("_", "-")
    if language and not (_LANGUAGE_TAG.fullmatch(language) and len(language) <= 35):
        reason = _("%(v)s is not a language tag such as fr or en-GB") % {"v": language}
        problems.append((record.column("language"), reason))
        language = ""
    zone = record.time_zone.strip()
    if zone and not _time_zone_known(zone):
        reason = _("%(v)s is not a known time zone") % {"v": zone}
        problems.append((record.column("time_zone"), reason))
        zone = ""
    return language, zone, problems


def checked_tags(named: Iterable[tuple[str, str]]) -> tuple[list[str], list[Problem]]:
    """The tags of ``named`` ((column, name) pairs) as the tag services clean them, once each
    in any spelling (the first kept); a name no tag can have (too long) is a problem."""
    tags: dict[str, str] = {}
    problems: list[Problem] = []
    for column, name in named:
        try:
            display, key = tag_name_clean(name, field="tags")
        except Invalid as exc:
            shown = name.strip()
            shown = shown if len(shown) <= _SHOWN else shown[:_SHOWN].rstrip() + "…"
            reason = exc.fields["tags"][0]
            problems.append((column, _("Tag “%(v)s”: %(reason)s") % {"v": shown, "reason": reason}))
            continue
        tags.setdefault(key, display)
    return list(tags.values()), problems
