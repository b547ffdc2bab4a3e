"""Django's SMTP email backend, keeping the recipients a server refused while it accepted the
others (smtplib returns them; Django's backend drops them), so a couple's greeting that reached
one of them does not pass for reaching both."""

from __future__ import annotations

from typing import Any

from django.core.mail.backends import smtp
from django.core.mail.message import EmailMessage


class EmailBackend(smtp.EmailBackend):
    """``refused``: after each message, ``{address: (code, reply)}`` of the refused recipients."""

    refused: dict[str, tuple[int, bytes]]

    def _send(self, email_message: EmailMessage) -> bool:
        self.refused = {}
        connection = self.connection
        if connection is None:
            return bool(super()._send(email_message))  # type: ignore[misc]
        sendmail = connection.sendmail

        def keep_refused(*args: Any, **kwargs: Any) -> dict[str, tuple[int, bytes]]:
            refused: dict[str, tuple[int, bytes]] = sendmail(*args, **kwargs)
            self.refused = dict(refused or {})
            return refused

        connection.sendmail = keep_refused  # type: ignore[method-assign]
        try:
            return bool(super()._send(email_message))  # type: ignore[misc]
        finally:
            del connection.sendmail  # the class's method again
