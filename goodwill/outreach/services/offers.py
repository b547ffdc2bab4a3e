"""Every write of offers: create, edit and archive (managers and owners), each audited.

An offer always has a topic, says who it is for (interests, occasion kinds or purchase
categories), and its templates use only the safe placeholders; the body greets the person by
name on its first line. Every fault is reported at once, each on its field; nothing is saved
until all of them are fixed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.occasions.models import Occasion
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.salutation import body_greets_by_name
from goodwill.outreach.templating import SUBJECT_MAX, template_check
from goodwill.people.models import Interest
from goodwill.people.normalize import fold, interest_key

OFFER_FIELDS = [
    "name",
    "topic",
    "occasion_kinds",
    "categories",
    "subject_template",
    "body_template",
    "intent",
    "valid_from",
    "valid_until",
    "code_prefix",
]
EDITABLE = {*OFFER_FIELDS, "interests"}
MAX_CATEGORIES = 30
CATEGORY_MAX = 100
_CODE_PREFIX = re.compile(r"[A-Z0-9]{0,12}")
_LINE_BREAK = re.compile(r"[\r\n]")

TopicRef = Topic | int | str | None
InterestRef = Interest | int | str


def category_key(text: str) -> str:
    """How a purchase category is matched: folded ("Gluten-Free " → "gluten-free")."""
    return fold(text)


class _Faults:
    """Field messages gathered while checking, raised together."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def guard(self, field: str, check: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except Invalid as exc:
            for message in exc.fields.get(field) or [exc.message]:
                self.add(field, message)
            return None

    def raise_any(self) -> None:
        if self.fields:
            name, messages = next(iter(self.fields.items()))
            raise Invalid(f"{name}: {messages[0]}", fields=self.fields)


def _topic(ref: TopicRef) -> Topic:
    if isinstance(ref, Topic):
        return ref
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        found = Topic.objects.filter(pk=int(ref)).first()
    elif isinstance(ref, str) and ref.strip():
        found = Topic.objects.filter(key=fold(ref)).first()
    else:
        raise Invalid.field("topic", _("Choose a topic; every offer belongs to one."))
    if found is None:
        raise Invalid.field("topic", _("No such topic; choose one of the topics."))
    return found


def _interests(refs: Iterable[InterestRef]) -> list[Interest]:
    """The interests named by object, id or name; Invalid naming those that do not exist."""
    refs = list(refs)
    ids = {r.pk if isinstance(r, Interest) else int(r) for r in refs if not isinstance(r, str)}
    ids |= {int(r) for r in refs if isinstance(r, str) and r.strip().isdigit()}
    names = [r for r in refs if isinstance(r, str) and r.strip() and not r.strip().isdigit()]
    keys = {interest_key(n): n for n in names}
    found = list(Interest.objects.filter(pk__in=ids)) + list(
        Interest.objects.filter(key__in=keys).exclude(pk__in=ids)
    )
    missing = [str(i) for i in ids - {i.pk for i in found}]
    missing += [n for k, n in keys.items() if k not in {i.key for i in found}]
    if missing:
        message = _("No interest called %(names)s; add it to someone's interests first.") % {
            "names": ", ".join(f"“{m.strip()[:60]}”" for m in missing)
        }
        raise Invalid.field("interests", message)
    return sorted({i.pk: i for i in found}.values(), key=lambda i: i.key)


def _occasion_kinds(kinds: Iterable[str]) -> list[str]:
    chosen = [k.strip() for k in kinds if k and k.strip()]
    unknown = [k for k in chosen if k not in Occasion.Kind.values]
    if unknown:
        message = _("Unknown occasion “%(kind)s”; one of %(kinds)s.") % {
            "kind": unknown[0][:40],
            "kinds": ", ".join(Occasion.Kind.values),
        }
        raise Invalid.field("occasion_kinds", message)
    return [k for k in Occasion.Kind.values if k in chosen]


def _categories(texts: Iterable[str]) -> list[str]:
    """Trimmed, single-spaced, one of each (regardless of case and accents), in given order."""
    seen: dict[str, str] = {}
    for text in texts:
        clean = " ".join((text or "").split())
        if clean and category_key(clean) not in seen:
            if len(clean) > CATEGORY_MAX:
                raise Invalid.field("categories", _("Keep each category under 100 characters."))
            seen[category_key(clean)] = clean
    if len(seen) > MAX_CATEGORIES:
        raise Invalid.field("categories", _("At most 30 purchase categories."))
    return list(seen.values())


def _subject(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid.field("subject_template", _("Write a subject."))
    if _LINE_BREAK.search(text):
        raise Invalid.field("subject_template", _("A subject is one line; remove the line break."))
    if len(text) > SUBJECT_MAX:
        raise Invalid.field("subject_template", _("Keep the subject under 300 characters."))
    template_check(text, field="subject_template")
    return text


def _body(text: str) -> str:
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise Invalid.field("body_template", _("Write the message."))
    template_check(text, field="body_template")
    if not body_greets_by_name(text):
        raise Invalid.field(
            "body_template",
            _("Start the message with the person's name, e.g. “Dear {{ preferred_name }},”"),
        )
    return text


def _name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise Invalid.field("name", _("Give the offer a name."))
    if len(name) > 150:
        raise Invalid.field("name", _("Keep the name under 150 characters."))
    return name


def _intent(value: str) -> str:
    if value not in Offer.Intent.values:
        raise Invalid.field("intent", _("Say whether the offer gives or asks."))
    return value


def _code_prefix(text: str) -> str:
    prefix = (text or "").strip().upper()
    if not _CODE_PREFIX.fullmatch(prefix):
        raise Invalid.field("code_prefix", _("Up to 12 letters A–Z and digits, or nothing."))
    return prefix


def _clean(values: dict[str, Any]) -> tuple[dict[str, Any], list[Interest]]:
    """Check every field of an offer; all faults at once (Invalid), else the clean values."""
    faults = _Faults()
    clean: dict[str, Any] = {
        "name": faults.guard("name", _name, values["name"]),
        "topic": faults.guard("topic", _topic, values["topic"]),
        "occasion_kinds": faults.guard("occasion_kinds", _occasion_kinds, values["occasion_kinds"]),
        "categories": faults.guard("categories", _categories, values["categories"]),
        "subject_template": faults.guard("subject_template", _subject, values["subject_template"]),
        "body_template": faults.guard("body_template", _body, values["body_template"]),
        "intent": faults.guard("intent", _intent, values["intent"]),
        "valid_from": values["valid_from"],
        "valid_until": values["valid_until"],
        "code_prefix": faults.guard("code_prefix", _code_prefix, values["code_prefix"]),
    }
    interests = faults.guard("interests", _interests, list(values["interests"]))
    start, end = values["valid_from"], values["valid_until"]
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        faults.add("valid_until", _("The offer must end on or after the day it starts."))
    relevant = interests or clean["occasion_kinds"] or clean["categories"]
    if not relevant and "interests" not in faults.fields:
        faults.add(
            "interests",
            _("Say who this offer is for: interests, occasions or purchase categories."),
        )
    faults.raise_any()
    return clean, interests or []


def _record(offer: Offer, interests: list[Interest]) -> dict[str, Any]:
    return {**snapshot(offer, OFFER_FIELDS), "interests": sorted(i.pk for i in interests)}


def offer_create(
    *,
    actor: User | None,
    name: str,
    topic: TopicRef,
    subject_template: str,
    body_template: str,
    interests: Iterable[InterestRef] = (),
    occasion_kinds: Iterable[str] = (),
    categories: Iterable[str] = (),
    intent: str = Offer.Intent.GIVING,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    code_prefix: str = "",
) -> Offer:
    """Add an offer (managers and owners); every field is checked before anything is saved."""
    require_role(actor, User.Role.MANAGER)
    clean, chosen = _clean(
        {
            "name": name,
            "topic": topic,
            "interests": list(interests),
            "occasion_kinds": occasion_kinds,
            "categories": categories,
            "subject_template": subject_template,
            "body_template": body_template,
            "intent": intent,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "code_prefix": code_prefix,
        }
    )
    with transaction.atomic():
        offer = Offer.objects.create(**clean, created_by=actor)
        offer.interests.set(chosen)
        audit_record(
            actor=actor, action="offer.create", target=offer, changes=_record(offer, chosen)
        )
    return offer


def offer_update(*, actor: User | None, offer: Offer, **fields: Any) -> Offer:
    """Change some fields of an offer (managers and owners); the result is checked as a whole.
    An archived offer cannot be changed (Conflict)."""
    require_role(actor, User.Role.MANAGER)
    unknown = sorted(set(fields) - EDITABLE)
    if unknown:
        raise Invalid.field(unknown[0], _("Unknown field."))
    if offer.archived_at is not None:
        raise Conflict(_("This offer is archived; it can no longer be changed."))
    current = list(offer.interests.all())
    values = {name: getattr(offer, name) for name in OFFER_FIELDS}
    values["interests"] = current
    values.update(fields)
    clean, chosen = _clean(values)
    before = _record(offer, current)
    for name, value in clean.items():
        setattr(offer, name, value)
    changes = diff(before, _record(offer, chosen))
    if changes:
        with transaction.atomic():
            offer.save()
            offer.interests.set(chosen)
            audit_record(actor=actor, action="offer.update", target=offer, changes=changes)
    return offer


def offer_archive(*, actor: User | None, offer: Offer) -> Offer:
    """Retire an offer (managers and owners): it leaves the list and cannot be sent again; its
    campaigns and their history stay. Archiving twice changes nothing."""
    require_role(actor, User.Role.MANAGER)
    if offer.archived_at is None:
        with transaction.atomic():
            offer.archived_at = timezone.now()
            offer.save(update_fields=["archived_at", "updated_at"])
            audit_record(actor=actor, action="offer.archive", target=offer)
    return offer
