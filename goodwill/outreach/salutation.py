"""The salutation gate, the urgency guard and the values a template is rendered with.

Nothing ever says "Dear valued customer": a message whose greeting line (its first non-empty
line) does not carry each person's own usable name — missing, generic ("Customer", "Guest",
"Sir or Madam"), just an initial, or only their email address's local part — is held for review.
A subject with urgency words ("last chance", "today only") counts as urgent: at most one per
person per quarter (the touch budget enforces it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from goodwill.accounts.services import business_get
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.occasions import join_names, occasion_people
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.services.greetings import usable_name
from goodwill.people.models import Person
from goodwill.people.normalize import fold

# Folded (lower-case, accent-free) words that are not anyone's name.
GENERIC_NAMES = frozenset(
    {
        "customer", "valued customer", "dear customer", "dear valued customer", "client",
        "valued client", "guest", "valued guest", "dear guest", "member", "valued member",
        "friend", "dear friend", "sir", "madam", "sir or madam", "sir madam", "dear sir",
        "dear madam", "dear sir or madam", "user", "subscriber", "occupant", "resident",
        "householder", "homeowner", "patron", "shopper", "buyer", "visitor", "reader", "fan",
        "unknown", "none", "null", "n a", "na", "name", "first name", "firstname", "given name",
        "test", "anonymous", "someone", "somebody", "mr", "mrs", "ms", "miss", "mx", "dr",
        "everyone", "all", "team", "family", "the family", "valued", "dear", "hello", "hi",
    }
)  # fmt: skip

# Phrases that make any greeting line generic, whatever else it says.
GENERIC_PHRASES = ("valued customer", "dear customer", "sir or madam", "valued guest")

URGENCY_PHRASES = (
    "urgent", "urgently", "last chance", "final chance", "today only", "act now", "act fast",
    "hurry", "expires today", "expires tonight", "ends today", "ends tonight", "final hours",
    "last hours", "final day", "last day", "don't miss", "do not miss", "limited time",
    "now or never", "final call", "last call", "only hours left", "hours left", "before it's gone",
    "before it's too late", "while stocks last", "while supplies last", "asap",
)  # fmt: skip

_URGENCY = re.compile(
    r"(?<![\w'])(?:" + "|".join(re.escape(p) for p in URGENCY_PHRASES) + r")(?![\w'])"
)
_PUNCTUATION = re.compile(r"[^\w\s]+")
_NAME_PLACEHOLDER = re.compile(r"\{\{[ \t]*(?:preferred_name|given_name|names)[ \t]*\}\}")


def _folded(text: str) -> str:
    return fold(_PUNCTUATION.sub(" ", text))


def is_urgent(subject: str) -> bool:
    """Whether ``subject`` uses urgency words ("Last chance!", "URGENT", "don’t miss"), in any
    case; a word that merely contains one ("insurgent") does not count."""
    text = fold(subject or "").replace("\u2019", "'").replace("\u2018", "'")
    return _URGENCY.search(text) is not None


def greeting_line(rendered_body: str) -> str:
    """The first non-empty line of a rendered body: where the person is greeted."""
    for line in (rendered_body or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def _local_parts(person: Person) -> set[str]:
    addresses = {e.email for e in person.emails.all()} if person.pk else set()
    if person.primary_email:
        addresses.add(person.primary_email)
    return {a.rpartition("@")[0].lower() for a in addresses if "@" in a}


def name_problem(person: Person) -> str:
    """Why ``person``'s usable name cannot greet them ('' when it can)."""
    name = usable_name(person)
    if not name:
        return _("no given or preferred name")
    folded = _folded(name)
    if not folded or folded in GENERIC_NAMES:
        return _("“%(name)s” is not a name") % {"name": name}
    if len(folded.replace(" ", "")) == 1:
        return _("“%(name)s” is only an initial") % {"name": name}
    if "@" in name:
        return _("“%(name)s” is an email address, not a name") % {"name": name}
    # An import that copied "jsmith" from jsmith@… leaves a lower-case or non-alphabetic name;
    # "Anna" typed for anna@… is a name.
    copied = name == name.lower() or not name.replace(" ", "").replace("-", "").isalpha()
    if copied and name.lower() in _local_parts(person):
        return _("“%(name)s” is only the first part of their email address") % {"name": name}
    return ""


def greeting_problem(*, rendered_body: str, person: Person | Sequence[Person]) -> str:
    """'' when the greeting line of ``rendered_body`` carries the usable name of ``person`` (each
    of them, for a couple or a household), else why the message must be held for review."""
    people = [person] if isinstance(person, Person) else list(person)
    if not people:
        return _("nobody to greet")
    line = greeting_line(rendered_body)
    folded_line = f" {_folded(line)} "
    for one in people:
        problem = name_problem(one)
        if problem:
            if len(people) > 1:
                return f"{one.full_name}: {problem}"
            return problem
        if f" {_folded(usable_name(one))} " not in folded_line:
            return _("the greeting line does not say “%(name)s”") % {"name": usable_name(one)}
    for phrase in GENERIC_PHRASES:
        if f" {phrase} " in folded_line:
            return _("the greeting says “%(phrase)s”") % {"phrase": phrase}
    return ""


def body_greets_by_name(template: str) -> bool:
    """Whether the template's first non-empty line greets by name: it uses
    ``{{ preferred_name }}``, ``{{ given_name }}`` or ``{{ names }}``."""
    line = greeting_line(template)
    return _NAME_PLACEHOLDER.search(line) is not None


def occasion_label(occasion: Occasion) -> str:
    """“wedding anniversary”, “first stay anniversary”, or a custom date's label."""
    label = occasion.label.strip()
    if occasion.kind == Occasion.Kind.ANNIVERSARY and label:
        return _("%(label)s anniversary") % {"label": label}
    if occasion.kind == Occasion.Kind.CUSTOM and label:
        return label
    return str(occasion.get_kind_display())


def person_values(
    person: Person,
    *,
    occasion: Occasion | None = None,
    year: int | None = None,
    code: str = "",
    offer: Offer | None = None,
) -> dict[str, str]:
    """The placeholder values for ``person``: their names, the business's, the occasion and
    its years (``year``: the year it is celebrated, this year if not given), their code and the
    offer's last day. The links are filled by whoever builds the message."""
    people = occasion_people(occasion) if occasion is not None else [person]
    names = join_names([n for n in (usable_name(p) for p in people) if n])
    values = {
        "preferred_name": usable_name(person),
        "given_name": person.given_name.strip(),
        "family_name": person.family_name.strip(),
        "names": names or usable_name(person),
        "business": business_get().name,
        "occasion": "",
        "years": "",
        "offer_code": code,
        "valid_until": "",
        "unsubscribe_url": "",
        "preferences_url": "",
    }
    if occasion is not None:
        values["occasion"] = occasion_label(occasion)
        when = year if year is not None else timezone.localdate().year
        if occasion.year and when > occasion.year:
            values["years"] = str(when - occasion.year)
    if offer is not None and offer.valid_until is not None:
        values["valid_until"] = date_format(offer.valid_until, "DATE_FORMAT")
    return values
