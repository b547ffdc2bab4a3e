"""The cards of a vCard stream: its content lines grouped from ``BEGIN:VCARD`` to ``END:VCARD``.

Files joined end to end are read as they were written: a byte order mark that began the
second file is no part of its first line (``vcard_lines.physical_lines``), and when the first
file did not end with a line break, the line ``END:VCARDBEGIN:VCARD`` ends one card and begins
the next. A vCard 2.1 ``AGENT`` whose value is a card of its own, written inside its card
(``AGENT:`` and the lines ``BEGIN:VCARD`` … ``END:VCARD`` after it), is no person of the
file: its lines are skipped, noted on the card that holds it, and that card is read whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from goodwill.exchange.parse.records import RowError
from goodwill.exchange.parse.vcard_lines import prop_name

BEGIN, END = "BEGIN:VCARD", "END:VCARD"
# How a line begins where a file without a final line break met the next one, which may begin
# with a byte order mark: ``END:VCARDBEGIN:VCARD`` ends one card and begins the next.
_JOINED = frozenset({END + "B", END + "\ufeff"})


@dataclass(slots=True)
class Card:
    """One card: its ``BEGIN:VCARD`` line, its content lines and what was left out of it."""

    begin: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    left_out: list[RowError] = field(default_factory=list)


@dataclass(slots=True)
class _Agent:
    """An AGENT's own card being skipped: the AGENT's line, its card's first line, and how
    many cards deep the reader is in it (an agent's card may hold an agent's card)."""

    line: int
    begin: int
    depth: int = 1


def cards(lines: Iterable[tuple[int, str]]) -> Iterator[Card | RowError]:
    """Every card of ``lines`` (numbered content lines), or a RowError for a card with no
    ``END:VCARD`` and for the first line of each run of lines outside any card."""
    card: Card | None = None
    agent: _Agent | None = None
    stray = False
    for number, text in lines:
        upper = text.strip().upper()
        joined = upper[:10] in _JOINED and upper[9:].lstrip("\ufeff") == BEGIN
        for keyword, part in ((END, END), (BEGIN, BEGIN)) if joined else ((upper, text),):
            if card is not None and agent is not None:
                if _skip(card, agent, number, keyword):
                    agent = None
            elif keyword == BEGIN and card is not None and _after_agent(card):
                agent = _Agent(card.lines[-1][0], number)
            elif keyword == BEGIN:
                if card is not None:
                    yield _no_end(card.begin)
                card, stray = Card(number), False
            elif keyword == END and card is not None:
                yield card
                card = None
            elif card is not None:
                card.lines.append((number, part))
            elif not stray:
                stray = True
                yield RowError(
                    number, "", _("This line is not inside a BEGIN:VCARD … END:VCARD card.")
                )
    if card is not None:
        yield _no_end(card.begin)


def _after_agent(card: Card) -> bool:
    """Whether the card's last line is an AGENT, whose own card the next BEGIN:VCARD begins."""
    return bool(card.lines) and prop_name(card.lines[-1][1]) == "AGENT"


def _skip(card: Card, agent: _Agent, number: int, keyword: str) -> bool:
    """Skip one line of an AGENT's own card; True once that card has ended (noted on ``card``)."""
    if keyword == BEGIN:
        agent.depth += 1
    elif keyword == END:
        agent.depth -= 1
    if agent.depth:
        return False
    message = _(
        "Line %(line)d is an AGENT: the card inside it (lines %(first)d to %(last)d) is not "
        "imported as a person"
    ) % {"line": agent.line, "first": agent.begin, "last": number}
    card.left_out.append(RowError(card.begin, "AGENT", message, agent.line))
    return True


def _no_end(begin: int) -> RowError:
    return RowError(
        begin, "", _("The card that begins on line %(n)d has no END:VCARD.") % {"n": begin}
    )
