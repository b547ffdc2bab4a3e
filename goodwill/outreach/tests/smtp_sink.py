"""A real SMTP server on loopback (aiosmtpd) that tests can tell to accept, refuse or stall.

``sink.reply = "451 4.3.0 Try later"`` makes DATA answer that (``sink.fail_next(2, ...)`` only
for the next two messages); ``sink.rcpt_reply`` refuses at RCPT instead; ``sink.delay`` makes
every DATA take that many seconds; ``sink.stop()`` leaves the port closed (connection refused)
and ``sink.start()`` opens it again on the same port. Every accepted message is kept in
``sink.messages`` with its Message-ID.

Use the ``sink`` fixture (``from goodwill.outreach.tests.smtp_sink import sink_fixture``): it
also points Django's email settings at the server.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    """One message the sink accepted."""

    mail_from: str
    rcpt_tos: list[str]
    message_id: str
    subject: str
    content: bytes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sink:
    """The handler and its controller; see the module docstring."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.reply = ""  # "" accepts; else DATA answers this (e.g. "550 5.1.1 No such user")
        self.rcpt_reply = ""  # "" accepts; else RCPT answers this
        self.refuse: dict[str, str] = {}  # address -> the RCPT reply refusing only it
        self.delay = 0.0
        self.messages: list[Received] = []
        self.started = 0  # DATA commands begun (a slow sink is still working on the last)
        self.refused: list[str] = []  # replies given instead of accepting, in order
        self._fail_next: list[str] = []
        self._lock = threading.Lock()
        self.controller: Controller | None = None

    # aiosmtpd hooks
    async def handle_RCPT(  # noqa: N802 - aiosmtpd's name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            self.started += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            reply = self._fail_next.pop(0) if self._fail_next else self.reply
            if reply:
                self.refused.append(reply)
                return reply
            parsed = email.message_from_bytes(envelope.content)
            self.messages.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos),
                    message_id=str(parsed["Message-ID"]),
                    subject=str(parsed["Subject"]),
                    content=envelope.content,
                )
            )
        return "250 Message accepted for delivery"

    # control
    def fail_next(self, count: int, reply: str) -> None:
        """Answer ``reply`` to the next ``count`` messages, then accept again."""
        with self._lock:
            self._fail_next = [reply] * count

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        with self._lock:
            return Counter(m.message_id for m in self.messages)


@pytest.fixture(name="sink")
def sink_fixture(settings: Any) -> Iterator[Sink]:
    """A running sink; Django sends to it over SMTP (2 s timeout)."""
    sink = Sink()
    sink.start()
    settings.EMAIL_BACKEND = "goodwill.outreach.channels.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    try:
        yield sink
    finally:
        sink.stop()
