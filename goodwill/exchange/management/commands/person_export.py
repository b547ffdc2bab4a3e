"""``goodwill person_export PERSON_ID [--output PATH] [--as EMAIL]``: everything about one person
(the right of access) as JSON, to a file or stdout."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.management.commands.export import _actor
from goodwill.exchange.services.access import person_access_export
from goodwill.people.selectors import person_get_for_user


class Command(GoodwillCommand):
    help = "Export everything about one person (the right of access) as JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("person_id", type=int, help="The person's id.")
        parser.add_argument("--output", help="Write to this file (default: stdout).")
        parser.add_argument("--as", dest="as_email", help="Export as this user (role applies).")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["as_email"])
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        data = person_access_export(actor=actor, person=person)
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if options["output"]:
            path = Path(options["output"])
            if not path.parent.is_dir():
                raise Invalid.field("output", _("No such folder: %(path)s") % {"path": path.parent})
            path.write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported person {person.pk} to {path}")
            return
        self.stdout.write(text, ending="")
