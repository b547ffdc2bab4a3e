"""One error hierarchy for every interface: web pages, API JSON and CLI exit codes map it once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class GoodwillError(Exception):
    """Base of every expected failure; ``fields`` maps a field name to its messages."""

    status = 400
    exit_code = 1

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.fields: dict[str, list[str]] = fields or {}

    def as_dict(self) -> dict[str, object]:
        return {"error": {"message": self.message, "fields": self.fields}}


class NotFound(GoodwillError):
    """The object does not exist, or the actor may not know that it does."""

    status = 404
    exit_code = 3


class Forbidden(GoodwillError):
    """The actor is known but their role does not allow the operation."""

    status = 403
    exit_code = 4


class Conflict(GoodwillError):
    """The operation clashes with what is stored (a duplicate, a stale state)."""

    status = 409
    exit_code = 5


class Invalid(GoodwillError):
    """Input was rejected; ``fields`` says which field and why."""

    status = 422
    exit_code = 2

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> Invalid:
        if hasattr(exc, "error_dict"):
            fields = {
                name: [str(m) for e in errs for m in e.messages]
                for name, errs in exc.error_dict.items()
            }
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        first = next(iter(fields.items()))
        label = "" if first[0] == "__all__" else f"{first[0]}: "
        return cls(f"{label}{first[1][0]}", fields=fields)

    @classmethod
    def field(cls, name: str, message: str) -> Invalid:
        return cls(f"{name}: {message}", fields={name: [message]})


def one_of(field: str, value: str, choices: list[str]) -> str:
    """``value`` when it is one of ``choices``; Invalid naming ``field`` and the choices if not."""
    if value not in choices:
        message = _("Unknown %(field)s “%(value)s”; one of %(choices)s.") % {
            "field": field,
            "value": value[:40],
            "choices": ", ".join(choices),
        }
        raise Invalid.field(field, message)
    return value
