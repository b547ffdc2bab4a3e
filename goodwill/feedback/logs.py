"""Keep survey tokens out of the logs: Django warns about 4xx responses and CSRF failures with
the request's path, and a survey's path is its secret."""

from __future__ import annotations

import logging
import re

SURVEY_PATH = re.compile(r"/s/[^/\s?\"']+")
HIDDEN = "/s/…"


def redact(text: str) -> str:
    """``text`` with every survey path's token replaced by an ellipsis."""
    return SURVEY_PATH.sub(HIDDEN, text)


class RedactSurveyTokens(logging.Filter):
    """A logging filter that rewrites a record's message with survey tokens hidden; it never
    drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/s/" in message:
            record.msg = redact(message)
            record.args = None
        return True
