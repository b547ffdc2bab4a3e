"""A writer process for the concurrency test: logs interactions until its time is up.

Prints one line ``<ok> <errors>`` and lists the first error on stderr.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    import django

    django.setup()
    from goodwill.people.models import Person
    from goodwill.timeline.services import interaction_log

    person_id, seconds, worker = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    person = Person.objects.get(pk=person_id)
    ok = errors = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            interaction_log(actor=None, person=person, kind="note", summary=f"{worker}-{ok}")
            ok += 1
        except Exception as exc:  # the test reports any failure, "database is locked" included
            errors += 1
            if errors == 1:
                sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
    sys.stdout.write(f"{ok} {errors}\n")


if __name__ == "__main__":
    main()
