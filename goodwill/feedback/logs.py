"""Keep public-link tokens out of the logs: Django warns about 4xx responses and CSRF failures
with the request's path, and the path of a survey (``/s/``), an unsubscribe link (``/u/``) or a
preference page (``/p/``) is its secret."""

from __future__ import annotations

import logging
import re

SURVEY_PATH = re.compile(r"/([spu])/[^/\s?\"']+")
HIDDEN = r"/\1/…"


def redact(text: str) -> str:
    """``text`` with every public link's token replaced by an ellipsis."""
    return SURVEY_PATH.sub(HIDDEN, text)


class RedactSurveyTokens(logging.Filter):
    """A logging filter that rewrites a record's message with survey tokens hidden; it never
    drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/s/" in message or "/u/" in message or "/p/" in message:
            record.msg = redact(message)
            record.args = None
        return True
