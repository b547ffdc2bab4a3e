"""``goodwill touch log|balance|policy``: log a call or visit as giving or asking, show a person's
give-and-take over the last year, and read or change the touch policy (``--as EMAIL`` acts with
that user's role; without it, as the operator)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.accounts.models import User
from goodwill.core.management.base import GoodwillCommand
from goodwill.outreach.models_touch import Touch, TouchPolicy
from goodwill.outreach.selectors.balance import person_balance
from goodwill.outreach.selectors.budget import LIMIT_FIELDS, touch_policy
from goodwill.outreach.services.touch_policy import POLICY_FIELDS, touch_policy_update
from goodwill.outreach.services.touches import touch_log
from goodwill.people.selectors import person_get_for_user

NUMBERS = [*LIMIT_FIELDS, "stay_in_touch_days"]


def policy_data(policy: TouchPolicy) -> dict[str, Any]:
    data = {name: getattr(policy, name) for name in POLICY_FIELDS}
    data["quiet_start"] = policy.quiet_start.strftime("%H:%M")
    data["quiet_end"] = policy.quiet_end.strftime("%H:%M")
    return data


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


class Command(GoodwillCommand):
    help = "Log a touch, show a person's giving and asking, or read and change the touch policy."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="log|balance|policy")
        log = sub.add_parser("log", help="Log a call, visit, letter or text as giving or asking.")
        log.add_argument("person_id", type=int)
        log.add_argument("summary", help="What you gave or asked, in a few words.")
        log.add_argument("--channel", default="phone", help=", ".join(Touch.Channel.values))
        intent = log.add_mutually_exclusive_group(required=True)
        intent.add_argument("--giving", dest="intent", action="store_const", const="giving")
        intent.add_argument("--asking", dest="intent", action="store_const", const="asking")
        balance = sub.add_parser("balance", help="The last year's touches and what may go now.")
        balance.add_argument("person_id", type=int)
        policy = sub.add_parser("policy", help="Show the touch policy; options change it.")
        for name in NUMBERS:
            policy.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int)
        policy.add_argument("--quiet-start", dest="quiet_start", help="HH:MM")
        policy.add_argument("--quiet-end", dest="quiet_end", help="HH:MM")
        policy.add_argument("--stages", dest="stay_in_touch_stages", help="Comma-separated.")
        policy.add_argument(
            "--giving-before-asking",
            dest="giving_before_asking",
            choices=["yes", "no"],
            help="Require a giving touch before each asking one.",
        )
        for p in (log, balance, policy):
            add_actor_options(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        if options["action"] == "policy":
            self._policy(actor, options)
            return
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        if options["action"] == "log":
            touch = touch_log(
                actor=actor,
                person=person,
                channel=options["channel"],
                intent=options["intent"],
                summary=options["summary"],
            )
            data = {"id": touch.pk, "person_id": person.pk, "at": touch.at.isoformat()}
            data |= {"channel": touch.channel, "intent": touch.intent, "counts": touch.counts}
            text = f"Logged a {touch.intent} {touch.get_channel_display()} for {person.full_name}."
            self.write_result(options, data, text)
            return
        self._balance(person, options)

    def _balance(self, person: Any, options: dict[str, Any]) -> None:
        found = person_balance(person=person)
        data = {
            "person_id": person.pk,
            "giving": found.giving,
            "asking": found.asking,
            "transactional": found.transactional,
            "last_giving": _when(found.last_giving),
            "last_asking": _when(found.last_asking),
            "marketing": {"allowed": found.marketing.allowed, "reason": found.marketing.reason},
            "next_ask": {"allowed": found.next_ask.allowed, "reason": found.next_ask.reason},
        }
        lines = [
            f"Last 365 days: {found.giving} giving, {found.asking} asking, "
            f"{found.transactional} transactional.",
            f"An offer now: {found.marketing.reason or 'allowed'}.",
            f"Asking again now: {found.next_ask.reason or 'allowed'}.",
        ]
        self.write_result(options, data, "\n".join(lines))

    def _policy(self, actor: User | None, options: dict[str, Any]) -> None:
        changes = {
            name: options[name]
            for name in [*NUMBERS, "quiet_start", "quiet_end"]
            if options.get(name) is not None
        }
        if options.get("stay_in_touch_stages"):
            changes["stay_in_touch_stages"] = [
                s.strip() for s in options["stay_in_touch_stages"].split(",") if s.strip()
            ]
        if options.get("giving_before_asking"):
            changes["giving_before_asking"] = options["giving_before_asking"] == "yes"
        policy = touch_policy_update(actor=actor, **changes) if changes else touch_policy()
        data = policy_data(policy)
        text = "\n".join(f"{k}: {v}" for k, v in data.items())
        self.write_result(options, data, text)
