"""The exchange app's scheduled jobs.

* ``exchange.daily_backup``: at 03:00 business time a backup goes to ``DATA_DIR/backups/daily``,
  and retention keeps the last of each of the 7 latest days and of the 4 latest weeks before
  them (``backup.retention``); the temporary files of killed backups are swept
  (``backup.partials``).
  ``GOODWILL_BACKUP_DAILY=false`` turns it off (the job is then not registered).
* ``exchange.imports``: a worker runs the queued imports (web and API uploads), one after the
  other. Queueing an import makes the job due at once; every ten seconds it also looks on its
  own (a safety net).
* ``exchange.import_purge``: every hour, uploads nobody went on with for two days are deleted.
* ``exchange.reply_purge``: every hour, the API responses kept for retried requests
  (``Idempotency-Key``) are deleted once a day old: what they hold about people goes with them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy

from goodwill.core.services import idempotent_responses_purge
from goodwill.exchange.backup import backup_create, backup_folder, default_path
from goodwill.exchange.backup.partials import partials_sweep
from goodwill.exchange.backup.retention import to_delete
from goodwill.exchange.services.imports import (
    IMPORTS_JOB,
    import_claim,
    import_files_purge,
    import_run_claimed,
)
from goodwill.occasions.selectors.settings import business_zone
from goodwill.outreach.schedule.registry import Job, daily_at, every, register

log = logging.getLogger("goodwill.backup")

NAME = "exchange.daily_backup"
AT = dt.time(3, 0)
PURGE = "exchange.import_purge"
REPLY_PURGE = "exchange.reply_purge"


def daily_folder() -> Path:
    """Where the scheduled backups live."""
    return backup_folder() / "daily"


def run(now: dt.datetime) -> None:
    """Sweep the temporary files that killed backups left in the backups folder (first, as they
    may be what fills the disk; ``backup_create`` sweeps the daily folder), take today's backup,
    then delete the daily backups that retention no longer keeps."""
    partials_sweep(folder=backup_folder())
    folder = daily_folder()
    backup_create(actor=None, path=default_path(folder=folder, now=now))
    for name in to_delete(entry.name for entry in folder.iterdir()):
        (folder / name).unlink(missing_ok=True)
        log.info("Deleted the old backup %s.", folder / name)


JOB = Job(
    name=NAME,
    description=str(
        gettext_lazy("Back up the database every night; keep a week of them and four weeks before.")
    ),
    run=run,
    next_after=daily_at(lambda: AT, business_zone),
)

if settings.BACKUP_DAILY:
    register(JOB)


def run_imports(now: dt.datetime) -> None:
    """Run every queued import, oldest first."""
    owner = f"imports-{os.getpid()}-{threading.get_ident()}"
    while (batch := import_claim(owner=owner)) is not None:
        import_run_claimed(batch=batch, owner=owner)


def purge_replies(now: dt.datetime) -> None:
    """Delete the API responses kept for retries once they are a day old."""
    idempotent_responses_purge(now=now)


def purge_imports(now: dt.datetime) -> None:
    """Delete the uploads of drafts and dry runs nobody went on with for two days."""
    import_files_purge(now=now)


register(
    Job(
        name=IMPORTS_JOB,
        description=str(gettext_lazy("Run the imports queued from the web page and the API.")),
        run=run_imports,
        next_after=every(10),
    )
)
register(
    Job(
        name=PURGE,
        description=str(gettext_lazy("Delete uploaded contact files nobody imported.")),
        run=purge_imports,
        next_after=every(3600),
    )
)
register(
    Job(
        name=REPLY_PURGE,
        description=str(gettext_lazy("Forget the API responses kept for retried requests.")),
        run=purge_replies,
        next_after=every(3600),
    )
)
