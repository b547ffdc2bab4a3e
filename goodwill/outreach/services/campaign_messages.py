"""The messages of a campaign, one per recipient: rendered with the person's own names, code,
unsubscribe and preference links, the list headers and the business's footer, held for review
when the greeting does not carry their own name, and timed past the quiet hours where they live.

The footer and the headers are rendered once per campaign with a mark in place of the link
token, and each person's token is put in its place: they are the same for everyone otherwise.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import cast

from django.utils.formats import date_format

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.occasions.dates import next_occurrence
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.occasions import join_names, occasion_people
from goodwill.occasions.selectors.settings import business_today, occasion_settings
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient
from goodwill.outreach.salutation import greeting_line, greeting_problem, occasion_label
from goodwill.outreach.selectors.audience import Recipient
from goodwill.outreach.selectors.budget import quiet_until, touch_policy
from goodwill.outreach.services.greetings import usable_name
from goodwill.outreach.services.marketing_mail import marketing_footer, marketing_headers
from goodwill.outreach.services.outbox_bulk import BulkMessage
from goodwill.outreach.services.preferences import preferences_url, unsubscribe_url
from goodwill.outreach.templating import render, render_subject, text_to_html
from goodwill.people.models import Person

CODE_BYTES = 5  # 40 random bits: 8 base32 characters (A-Z, 2-7: no 0 or 1 to misread)
TOKEN_MARK = "GWTOKENMARK7Q"  # noqa: S105 (a placeholder, not a secret)


def campaign_key(campaign: Campaign, person_id: int) -> str:
    """The idempotency key of a campaign's message to one person."""
    return f"campaign:{campaign.pk}:person:{person_id}"


def _code(prefix: str) -> str:
    return f"{prefix}-" + base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()


def codes_for(prefix: str, count: int) -> list[str]:
    """``count`` codes unused anywhere so far (a clash, however unlikely, is drawn again)."""
    codes: list[str] = []
    while len(codes) < count:
        fresh = {_code(prefix) for _i in range(count - len(codes))} - set(codes)
        taken = set(
            CampaignRecipient.objects.filter(code__in=list(fresh)).values_list("code", flat=True)
        )
        codes += sorted(fresh - taken)
    return codes


@dataclass(frozen=True, slots=True)
class Named:
    """What the salutation gate reads of a person (no query: ``pk`` None)."""

    given_name: str
    preferred_name: str
    family_name: str
    primary_email: str
    pk: None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


class Batch:
    """Everything the messages of one chunk share: the offer, the business, the footer."""

    def __init__(
        self, campaign: Campaign, actor: User | None, now: dt.datetime, urgent: bool
    ) -> None:
        self.campaign, self.offer, self.actor, self.now = campaign, campaign.offer, actor, now
        self.urgent = urgent
        self.business = business_get().name
        self.policy = touch_policy()
        self.rule = occasion_settings().feb29_rule
        self.today = business_today(now)
        self.footer_text, self.footer_html = marketing_footer(token=TOKEN_MARK)
        self.headers = marketing_headers(token=TOKEN_MARK, topic=self.offer.topic)
        self.unsubscribe_url = unsubscribe_url(TOKEN_MARK)
        self.preferences_url = preferences_url(TOKEN_MARK)
        self.waits: dict[str, dt.datetime] = {}
        until = self.offer.valid_until
        self.valid_until = date_format(until, "DATE_FORMAT") if until is not None else ""
        self.occasions: dict[int, tuple[Occasion, str, int, list[Person]]] = {}

    def occasion(self, occasion_id: int) -> tuple[Occasion, str, int, list[Person]]:
        """The occasion, everyone's names for it (“Anna and Ben”), the year it falls in and
        everyone it is for."""
        if occasion_id not in self.occasions:
            occ = Occasion.objects.select_related(
                "person", "relationship__from_person", "relationship__to_person"
            ).get(pk=occasion_id)
            people = occasion_people(occ)
            names = join_names([n for n in map(usable_name, people) if n])
            year = next_occurrence(occ.month, occ.day, self.today, self.rule).year
            self.occasions[occasion_id] = (occ, names, year, people)
        return self.occasions[occasion_id]

    def values(self, named: Named, r: Recipient, code: str, token: str) -> dict[str, str]:
        own = (named.preferred_name or named.given_name).strip()
        values = {
            "preferred_name": own,
            "given_name": named.given_name.strip(),
            "family_name": named.family_name.strip(),
            "names": own,
            "business": self.business,
            "occasion": "",
            "years": "",
            "offer_code": code,
            "valid_until": self.valid_until,
            "unsubscribe_url": self.unsubscribe_url.replace(TOKEN_MARK, token),
            "preferences_url": self.preferences_url.replace(TOKEN_MARK, token),
        }
        if r.occasion_id is not None:
            occ, names, year, _people = self.occasion(r.occasion_id)
            values["names"] = names or own
            values["occasion"] = occasion_label(occ)
            if occ.year and year > occ.year:
                values["years"] = str(year - occ.year)
        return values

    def message(self, r: Recipient, named: Named, code: str, token: str) -> BulkMessage:
        values = self.values(named, r, code, token)
        body = render(self.offer.body_template, values, field="body")
        # A greeting that names a couple ({{ names }}) needs a name of their own for each.
        people: list[Person] = [cast(Person, named)]
        couple = r.occasion_id is not None and values["names"] != values["preferred_name"]
        if couple and r.occasion_id is not None and values["names"] in greeting_line(body):
            people = self.occasion(r.occasion_id)[3]
        problem = greeting_problem(rendered_body=body, person=people)
        html = text_to_html(body)
        return BulkMessage(
            idempotency_key=campaign_key(self.campaign, r.person_id),
            recipients=[r.address],
            subject=render_subject(self.offer.subject_template, values),
            body_text=body.rstrip() + "\n\n" + self.footer_text.replace(TOKEN_MARK, token),
            body_html=html + self.footer_html.replace(TOKEN_MARK, token),
            headers={k: v.replace(TOKEN_MARK, token) for k, v in self.headers.items()},
            person_id=r.person_id,
            topic_id=self.offer.topic_id,
            held_reason=problem,
            next_attempt_at=self.send_at(r.time_zone),
        )

    def send_at(self, zone: str) -> dt.datetime:
        """Now, or the end of the quiet hours where the person is (once per time zone)."""
        if zone not in self.waits:
            wait = quiet_until(time_zone=zone, at=self.now, policy=self.policy)
            self.waits[zone] = wait or self.now
        return self.waits[zone]


def named(r: Recipient) -> Named:
    return Named(r.given_name, r.preferred_name, r.family_name, r.address)
