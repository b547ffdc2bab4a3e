"""``goodwill people search|list|tag|untag|tags|tag-rename|tag-delete``: find people, list them
(``--tag``), tag them, and rename or delete a tag for everyone, from the command line.

    goodwill people search QUERY [--json] [--limit N]
    goodwill people list [--tag NAME] [--role ROLE] [--limit N] [--json] [--as EMAIL]
    goodwill people tag PERSON_ID NAME… [--json] [--as EMAIL]
    goodwill people untag PERSON_ID NAME… [--json] [--as EMAIL]
    goodwill people tags [--json] [--as EMAIL]
    goodwill people tag-rename NAME NEW_NAME [--json] [--as EMAIL]   (managers)
    goodwill people tag-delete NAME [--json] [--as EMAIL]            (managers)
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.core.errors import Invalid
from goodwill.core.management.base import GoodwillCommand
from goodwill.people.models import Person, PersonRole, Tag
from goodwill.people.selectors import (
    person_get_for_user,
    person_list,
    person_search,
    person_tag_list,
    tag_get_by_name,
    tag_list,
)
from goodwill.people.selectors.persons import MAX_LIMIT
from goodwill.people.services import person_tags_add, person_tags_remove
from goodwill.people.services.tags import tag_delete, tag_rename


def person_row(person: Person) -> dict[str, object]:
    """What a listed person shows: names, primary contacts, roles, organisations and tags."""
    return {
        "id": person.pk,
        "name": person.full_name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "email": person.primary_email,
        "phone": person.primary_phone,
        "roles": [r.role for r in person.role_list],
        "organisations": [m.organisation.name for m in person.membership_list],
        "tags": [link.tag.name for link in person.tag_link_list],
    }


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def tag_row(tag: Tag) -> dict[str, object]:
    return {"id": tag.pk, "name": tag.name, "key": tag.key, "people_count": tag.people_count}


class Command(GoodwillCommand):
    help = (
        "Work with people: `search` finds them by name, email, phone or company; `list` lists "
        "them (by tag or role); `tag`/`untag` put tags on a person or take them off; `tags` "
        "lists the tags with how many people have each; `tag-rename`/`tag-delete` change a tag "
        "for everyone (managers)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="search|list|tag|untag|tags|tag-rename|tag-delete"
        )
        search = sub.add_parser("search", help="Search by any part of name, email, phone, org.")
        search.add_argument("query", help="What to look for.")
        search.add_argument("--limit", type=int, default=25, help=f"1 to {MAX_LIMIT} (25).")
        search.add_argument("--json", action="store_true", help="Print JSON.")
        listing = sub.add_parser("list", help="People in name order, filtered.")
        listing.add_argument("--tag", default="", help="Only people with this tag.")
        listing.add_argument("--role", default="", help=", ".join(PersonRole.Role.values))
        listing.add_argument("--limit", type=int, default=50, help=f"1 to {MAX_LIMIT} (50).")
        add_actor_options(listing)
        for name, verb in (("tag", "Put tags on"), ("untag", "Take tags off")):
            action = sub.add_parser(name, help=f"{verb} a person.")
            action.add_argument("person_id", type=int, help="The person's id (see `search`).")
            action.add_argument("names", nargs="+", metavar="NAME", help="A tag's name.")
            add_actor_options(action)
        add_actor_options(sub.add_parser("tags", help="Every tag with its number of people."))
        rename = sub.add_parser("tag-rename", help="Rename a tag (into another: merge them).")
        rename.add_argument("name", help="The tag's name, in any spelling.")
        rename.add_argument("new_name", help="Its new name.")
        add_actor_options(rename)
        delete = sub.add_parser("tag-delete", help="Take a tag off everyone and delete it.")
        delete.add_argument("name", help="The tag's name, in any spelling.")
        add_actor_options(delete)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] in ("search", "list") and not 1 <= options["limit"] <= MAX_LIMIT:
            raise Invalid.field("limit", f"Give a number from 1 to {MAX_LIMIT}.")
        actions = {
            "search": self._search,
            "list": self._list,
            "tag": self._tag,
            "untag": self._untag,
            "tags": self._tags,
            "tag-rename": self._tag_rename,
            "tag-delete": self._tag_delete,
        }
        actions[options["action"]](options)

    def _search(self, options: dict[str, Any]) -> None:
        page = person_search(user=None, q=options["query"], limit=options["limit"])
        self._people(options, page.items)

    def _list(self, options: dict[str, Any]) -> None:
        page = person_list(
            user=actor_from(options),
            role=options["role"] or None,
            extra={"tag": options["tag"]},
            limit=options["limit"],
        )
        self._people(options, page.items)

    def _people(self, options: dict[str, Any], people: list[Person]) -> None:
        if options["json"]:
            self.write_json([person_row(p) for p in people])
            return
        for person in people:
            orgs = ", ".join(m.organisation.name for m in person.membership_list)
            cols = [str(person.pk), person.full_name, person.primary_email, person.primary_phone]
            self.stdout.write("\t".join([*cols, orgs]).rstrip())
        if not people:
            self.stdout.write("No one found.")

    def _tag(self, options: dict[str, Any]) -> None:
        actor = actor_from(options)
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        person_tags_add(actor=actor, person=person, names=options["names"])
        self._person_tags(options, person, "Tagged")

    def _untag(self, options: dict[str, Any]) -> None:
        actor = actor_from(options)
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        tags = [tag_get_by_name(user=actor, name=name) for name in options["names"]]
        person_tags_remove(actor=actor, person=person, tags=tags)
        self._person_tags(options, person, "Untagged")

    def _person_tags(self, options: dict[str, Any], person: Person, done: str) -> None:
        names = [link.tag.name for link in person_tag_list(person_id=person.pk)]
        data = {"person_id": person.pk, "name": person.full_name, "tags": names}
        text = f"{done} {person.full_name}; their tags: {', '.join(names) or '(none)'}"
        self.write_result(options, data, text)

    def _tags(self, options: dict[str, Any]) -> None:
        actor = actor_from(options)
        tags: list[Tag] = []
        cursor = None
        while True:  # every page: a business has dozens of tags, not millions
            page = tag_list(user=actor, cursor=cursor, limit=MAX_LIMIT)
            tags += page.items
            if (cursor := page.next_cursor) is None:
                break
        if options["json"]:
            self.write_json([tag_row(t) for t in tags])
            return
        for tag in tags:
            self.stdout.write(f"{tag.pk}\t{tag.name}\t{tag.people_count}")
        if not tags:
            self.stdout.write("No tags yet.")

    def _tag_rename(self, options: dict[str, Any]) -> None:
        actor = actor_from(options)
        tag = tag_get_by_name(user=actor, name=options["name"])
        tag_id, old_name = tag.pk, tag.name
        kept = tag_rename(actor=actor, tag=tag, name=options["new_name"])
        merged = kept.pk != tag_id
        text = (
            f"Merged “{old_name}” into “{kept.name}” ({_people(kept.people_count)})."
            if merged
            else f"Renamed to “{kept.name}” ({_people(kept.people_count)})."
        )
        self.write_result(options, {**tag_row(kept), "merged": merged}, text)

    def _tag_delete(self, options: dict[str, Any]) -> None:
        actor = actor_from(options)
        tag = tag_get_by_name(user=actor, name=options["name"])
        tag_id, name = tag.pk, tag.name
        had = tag_delete(actor=actor, tag=tag)
        text = f"Deleted “{name}”; {_people(had)} had it."
        self.write_result(options, {"id": tag_id, "name": name, "people": had}, text)
