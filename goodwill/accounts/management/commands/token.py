"""``goodwill token create|revoke|list``: API tokens from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from goodwill.accounts.models import ApiToken
from goodwill.accounts.selectors import token_get_by_raw, token_list, user_get_by_email
from goodwill.accounts.services import token_create, token_revoke
from goodwill.core.management.base import GoodwillCommand


def _row(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "email": token.user.email,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked": token.revoked_at is not None,
    }


class Command(GoodwillCommand):
    help = "Create, revoke or list API tokens. A new token is shown once, alone on the last line."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="create|revoke|list")
        create = sub.add_parser("create", help="Issue a token for a user.")
        create.add_argument("--email", required=True, help="Whose token it is.")
        create.add_argument("--name", default="command line", help="What the token is for.")
        revoke = sub.add_parser("revoke", help="Revoke a token by id or by its raw value.")
        revoke.add_argument("token_id", nargs="?", type=int, help="The token's id (see list).")
        revoke.add_argument("--token", help="The raw token instead of its id.")
        listing = sub.add_parser("list", help="List tokens (never their raw values).")
        listing.add_argument("--email", help="Only this user's tokens.")
        listing.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(options)

    def handle_create(self, options: dict[str, Any]) -> None:
        user = user_get_by_email(actor=None, email=options["email"])
        token, raw = token_create(actor=None, user=user, name=options["name"])
        self.stdout.write(f"Token {token.pk} ({token.name}) for {user.email}, shown only once:")
        self.stdout.write(raw)

    def handle_revoke(self, options: dict[str, Any]) -> None:
        if (options["token_id"] is None) == (options["token"] is None):
            raise CommandError("token: give either a TOKEN_ID or --token RAW.", returncode=2)
        token_id = options["token_id"]
        if options["token"] is not None:
            token_id = token_get_by_raw(actor=None, raw=options["token"]).pk
        token = token_revoke(actor=None, token_id=token_id)
        self.stdout.write(f"Revoked token {token.pk} ({token.name}) of {token.user.email}.")

    def handle_list(self, options: dict[str, Any]) -> None:
        tokens = token_list(actor=None)
        if options["email"]:
            tokens = tokens.filter(user=user_get_by_email(actor=None, email=options["email"]))
        rows = [_row(t) for t in tokens]
        if options["json"]:
            self.write_json(rows)
            return
        for row in rows:
            state = "revoked" if row["revoked"] else f"last used {row['last_used_at'] or 'never'}"
            self.stdout.write(
                f"{row['id']}\t{row['prefix']}…\t{row['email']}\t{row['name']}\t{state}"
            )
        if not rows:
            self.stdout.write("No tokens.")
