"""The safe placeholder language of offer subjects and bodies: ``{{ preferred_name }}`` and a
handful of other names, nothing else.

A template can only say ``{{ name }}`` (spaces optional) for one of ``PLACEHOLDERS``; any other
brace — a lone ``{``, ``{% … %}``, a filter ``{{ name|upper }}``, an attribute
``{{ person.email }}`` or an unknown name — is refused with the line and column of the fault.
Rendering substitutes plain strings from the values it is given and can reach nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.core.errors import Invalid

PLACEHOLDERS: tuple[str, ...] = (
    "preferred_name",
    "given_name",
    "family_name",
    "names",
    "business",
    "occasion",
    "years",
    "offer_code",
    "valid_until",
    "unsubscribe_url",
    "preferences_url",
)

# What each placeholder becomes, for the help table on the offer form and the README.
PLACEHOLDER_HELP = {
    "preferred_name": gettext_lazy("What they like to be called; their given name if not set."),
    "given_name": gettext_lazy("Their given name."),
    "family_name": gettext_lazy("Their family name."),
    "names": gettext_lazy("Everyone the message is for: “Anna and Ben” for a couple."),
    "business": gettext_lazy("The business's name."),
    "occasion": gettext_lazy("The occasion, e.g. “wedding anniversary”."),
    "years": gettext_lazy("How many years it has been (empty when the year is unknown)."),
    "offer_code": gettext_lazy("Their personal redemption code."),
    "valid_until": gettext_lazy("The last day the offer is valid."),
    "unsubscribe_url": gettext_lazy("Their link to stop these messages."),
    "preferences_url": gettext_lazy("Their link to choose what they receive."),
}

SUBJECT_MAX = 300
MAX_FAULTS = 3

_PLACEHOLDER = re.compile(r"\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}")
_BRACE = re.compile(r"[{}]")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


@dataclass(frozen=True)
class _Part:
    """A literal run of text (``name`` empty) or one placeholder."""

    text: str
    name: str = ""


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _quote(text: str, start: int, end: int) -> str:
    snippet = text[start:end].split("\n", 1)[0]
    return snippet if len(snippet) <= 40 else snippet[:39] + "…"


def _fault_at(text: str, i: int) -> tuple[int, str]:
    """Why the brace at ``i`` does not start a valid placeholder, and where the fault ends."""
    two = text[i : i + 2]
    if two == "{%":
        end = text.find("%}", i)
        end = len(text) if end < 0 else end + 2
        return end, _("template tags like %(q)s are not allowed") % {"q": _quote(text, i, end)}
    if two == "{#":
        end = text.find("#}", i)
        end = len(text) if end < 0 else end + 2
        return end, _("comments like %(q)s are not allowed") % {"q": _quote(text, i, end)}
    if two == "{{":
        close = text.find("}}", i + 2)
        newline = text.find("\n", i + 2)
        if close < 0 or (0 <= newline < close):
            return i + 2, _("“{{” is not closed with “}}” on the same line")
        inner = text[i + 2 : close].strip()
        quoted = _quote(text, i, close + 2)
        if "|" in inner:
            why = _("filters are not allowed: %(q)s")
        elif "." in inner or "[" in inner or "(" in inner:
            why = _("only a plain name is allowed, not %(q)s")
        elif not inner:
            why = _("empty placeholder %(q)s")
        else:
            why = _("%(q)s is not a placeholder")
        return close + 2, why % {"q": quoted}
    if two == "}}":
        return i + 2, _("“}}” without its “{{”")
    if text[i] == "{":
        return i + 1, _("a lone “{”")
    return i + 1, _("a lone “}”")


def _hint() -> str:
    return _("placeholders look like {{ preferred_name }}; use one of %(names)s") % {
        "names": ", ".join(PLACEHOLDERS)
    }


def _parse(text: str) -> tuple[list[_Part], list[str]]:
    """The parts of ``text`` and, for a faulty template, up to ``MAX_FAULTS`` faults."""
    parts: list[_Part] = []
    faults: list[str] = []
    pos = 0
    while len(faults) < MAX_FAULTS:
        brace = _BRACE.search(text, pos)
        if brace is None:
            break
        i = brace.start()
        parts.append(_Part(text[pos:i]))
        match = _PLACEHOLDER.match(text, i)
        if match is not None and match.group(1) in PLACEHOLDERS:
            parts.append(_Part(match.group(0), match.group(1)))
            pos = match.end()
            continue
        line, column = _position(text, i)
        if match is not None:
            end = match.end()
            why = _("unknown placeholder %(q)s; use one of %(names)s") % {
                "q": _quote(text, i, end),
                "names": ", ".join(PLACEHOLDERS),
            }
        else:
            end, why = _fault_at(text, i)
            why = f"{why}; {_hint()}"
        where = _("line %(line)d, column %(column)d") % {"line": line, "column": column}
        faults.append(f"{where}: {why}")
        pos = end
    parts.append(_Part(text[pos:]))
    return parts, faults


def template_check(text: str, *, field: str) -> None:
    """Refuse ``text`` unless every brace in it is a known ``{{ name }}`` placeholder; the error
    names ``field`` and says on which line and column each fault is (the first three)."""
    _parts, faults = _parse(text)
    if faults:
        raise Invalid(f"{field}, {faults[0]}", fields={field: faults})


def render(text: str, values: dict[str, str], *, field: str = "template") -> str:
    """``text`` with each placeholder replaced by its value (a missing value: empty). Nothing is
    evaluated; the values are plain strings. A faulty template raises Invalid naming ``field``."""
    parts, faults = _parse(text)
    if faults:
        raise Invalid(f"{field}, {faults[0]}", fields={field: faults})
    return "".join(str(values.get(p.name, "")) if p.name else p.text for p in parts)


def render_subject(text: str, values: dict[str, str]) -> str:
    """A one-line subject: line breaks inside values become spaces (no header injection); a
    template with a line break or a result over 300 characters raises Invalid naming
    ``subject``."""
    if _NEWLINES.search(text):
        raise Invalid.field("subject", _("A subject is one line; remove the line break."))
    flat = {k: _NEWLINES.sub(" ", str(v)) for k, v in values.items()}
    subject = render(text, flat, field="subject").strip()
    if not subject:
        raise Invalid.field("subject", _("The subject would be empty."))
    if len(subject) > SUBJECT_MAX:
        raise Invalid.field(
            "subject",
            _("The subject would be %(n)d characters long; keep it under %(max)d.")
            % {"n": len(subject), "max": SUBJECT_MAX},
        )
    return subject


def render_html(text: str, values: dict[str, str]) -> str:
    """The HTML part of a body: the template's text and the values escaped, blank lines as
    paragraphs and single line breaks as ``<br>``."""
    return text_to_html(render(text, values, field="body"))


def text_to_html(plain: str) -> str:
    """Rendered text as escaped HTML: blank lines as paragraphs, single line breaks as ``<br>``."""
    return str(linebreaks(plain.replace("\r\n", "\n"), autoescape=True))
