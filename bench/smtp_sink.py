"""A counting SMTP sink for the worker benchmark: aiosmtpd on loopback, accepts everything.

    python bench/smtp_sink.py PORT EXPECTED

Prints "ready" once listening, then, when EXPECTED messages have arrived, one JSON line with the
count, the distinct Message-IDs and the seconds from the first message to the last; then exits.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.ids: list[str] = []
        self.first = 0.0
        self.last = 0.0
        self.done = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        now = time.perf_counter()
        if not self.ids:
            self.first = now
        self.last = now
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids.append(line.split(b":", 1)[1].strip().decode())
                break
        else:
            self.ids.append("")
        if len(self.ids) >= self.expected:
            self.done.set()
        return "250 OK"


def main() -> None:
    port, expected = int(sys.argv[1]), int(sys.argv[2])
    counter = Counter(expected)
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    counter.done.wait(timeout=600)
    controller.stop()
    print(
        json.dumps(
            {
                "received": len(counter.ids),
                "distinct": len(set(counter.ids)),
                "seconds": round(counter.last - counter.first, 3),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
