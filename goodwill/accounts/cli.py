"""What commands share about who runs them: ``--as EMAIL`` (their role applies) and ``--json``."""

from __future__ import annotations

import argparse
from typing import Any

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email


def add_actor_options(parser: argparse.ArgumentParser) -> None:
    """``--as EMAIL`` and ``--json`` on ``parser`` (a command or one of its subcommands)."""
    parser.add_argument("--as", dest="as_email", help="Act as this user (their role applies).")
    parser.add_argument("--json", action="store_true", help="Print JSON.")


def actor_from(options: dict[str, Any]) -> User | None:
    """The user named by ``--as`` (NotFound when there is none); None: the operator."""
    if options.get("as_email"):
        return user_get_by_email(actor=None, email=options["as_email"])
    return None
