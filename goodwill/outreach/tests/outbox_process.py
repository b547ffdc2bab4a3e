"""A helper process for the worker tests: ``seed N`` queues N digests in the database its
environment names (the tests then run real workers on it as ``goodwill worker``)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    import django

    django.setup()
    from goodwill.outreach.models import OutboxMessage
    from goodwill.outreach.services.outbox import message_enqueue

    if sys.argv[1] == "seed":
        for i in range(int(sys.argv[2])):
            message_enqueue(
                actor=None,
                kind=OutboxMessage.Kind.INTERNAL,
                recipients=[f"staff{i}@example.com"],
                subject=f"Your agenda {i}",
                body_text="Anne and Ben: 10th anniversary.",
                idempotency_key=f"digest:{i}",
            )


if __name__ == "__main__":
    main()
