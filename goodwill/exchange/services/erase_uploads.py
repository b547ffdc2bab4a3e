"""Erasure and the uploads goodwill still keeps: a draft's file, or a dry run's waiting for
its real run (``var/imports/``). One that holds an erased person's email address (as UTF-8,
Windows-1252 or UTF-16 write it, any case, also across a vCard's folded line or a
quoted-printable soft break) is deleted with the erasure, and its batch says
why; a queued or running import is left to run: it skips their rows (the suppression list)
and deletes its file when it ends."""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.imports import stored_path

BLOCK = 1 << 20  # read a megabyte at a time
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")  # Windows-1252 writes an address as UTF-8
KEPT = (ImportBatch.State.DRAFT, ImportBatch.State.DRY_RUN)
# A vCard's folded line (a line break and a space or tab) and a quoted-printable soft break (an
# "=" ending the line), in 8-bit text and in UTF-16 (little and big endian).
_UNFOLD = re.compile(rb"\r?\n[ \t]|=\r?\n|(?:\r\x00)?\n\x00[ \t]\x00|(?:\x00\r)?\x00\n\x00[ \t]")


def _needles(emails: Iterable[str]) -> list[bytes]:
    out: list[bytes] = []
    for email in emails:
        for encoding in ENCODINGS:
            with suppress(UnicodeEncodeError):
                out.append(email.casefold().encode(encoding))
    return out


def _holds(path: Path, needles: list[bytes]) -> bool:
    """Whether the file holds one of ``needles`` (ASCII letters in any case), read in blocks,
    with lines unfolded."""
    overlap = 2 * max(len(n) for n in needles) + 8
    tail = b""
    with suppress(FileNotFoundError), path.open("rb") as f:
        while block := f.read(BLOCK):
            text = tail + block.lower()
            if any(n in _UNFOLD.sub(b"", text) for n in needles):
                return True
            tail = text[-overlap:]  # as read: a fold cut by the block's end is whole next time
    return False


def uploads_forget(emails: Iterable[str]) -> int:
    """Delete (once the erasure commits) the kept uploads holding any of ``emails``; a draft
    ends failed and a dry run can no longer be run for real, each saying why. Returns how many
    (call inside the erasure's transaction)."""
    needles = _needles(emails)
    if not needles:
        return 0
    held = [
        batch
        for batch in ImportBatch.objects.filter(state__in=KEPT).exclude(stored_file="")
        if _holds(stored_path(batch), needles)
    ]
    message = _(
        "The file was deleted: it held the address of someone who has since been erased. "
        "Upload it again to import it; their rows are skipped."
    )
    for batch in held:
        transaction.on_commit(partial(stored_path(batch).unlink, missing_ok=True))
        batch.stored_file, batch.message = "", message
        if batch.state == ImportBatch.State.DRAFT:
            batch.state = ImportBatch.State.FAILED
        batch.save(update_fields=["stored_file", "message", "state"])
    return len(held)
