"""``goodwill people search QUERY [--json] [--limit N]``: find people from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.core.errors import Invalid
from goodwill.core.management.base import GoodwillCommand
from goodwill.people.models import Person
from goodwill.people.selectors import person_search
from goodwill.people.selectors.persons import MAX_LIMIT


def person_row(person: Person) -> dict[str, object]:
    """What a search result shows: names, primary contacts, roles and organisations."""
    return {
        "id": person.pk,
        "name": person.full_name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "email": person.primary_email,
        "phone": person.primary_phone,
        "roles": [r.role for r in person.roles.all()],
        "organisations": [m.organisation.name for m in person.memberships.all()],
    }


class Command(GoodwillCommand):
    help = "Work with people. `people search QUERY` finds them by name, email, phone or company."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="search")
        search = sub.add_parser("search", help="Search by any part of name, email, phone, org.")
        search.add_argument("query", help="What to look for.")
        search.add_argument("--limit", type=int, default=25, help=f"1 to {MAX_LIMIT} (25).")
        search.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["limit"] <= MAX_LIMIT:
            raise Invalid.field("limit", f"Give a number from 1 to {MAX_LIMIT}.")
        page = person_search(user=None, q=options["query"], limit=options["limit"])
        if options["json"]:
            self.write_json([person_row(p) for p in page.items])
            return
        for person in page.items:
            orgs = ", ".join(m.organisation.name for m in person.memberships.all())
            cols = [str(person.pk), person.full_name, person.primary_email, person.primary_phone]
            self.stdout.write("\t".join([*cols, orgs]).rstrip())
        if not page.items:
            self.stdout.write("No one found.")
