"""The daily backup as a scheduled job: at 03:00 business time a backup goes to
``DATA_DIR/backups/daily``, and retention keeps the 7 newest and one for each of the 4 latest
weeks. ``GOODWILL_BACKUP_DAILY=false`` turns it off (the job is then not registered)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy

from goodwill.exchange.backup import backup_create, backup_folder, default_path
from goodwill.exchange.backup.retention import to_delete
from goodwill.occasions.selectors.settings import business_zone
from goodwill.outreach.schedule.registry import Job, daily_at, register

log = logging.getLogger("goodwill.backup")

NAME = "exchange.daily_backup"
AT = dt.time(3, 0)


def daily_folder() -> Path:
    """Where the scheduled backups live."""
    return backup_folder() / "daily"


def run(now: dt.datetime) -> None:
    """Take today's backup, then delete the daily backups that retention no longer keeps."""
    folder = daily_folder()
    backup_create(actor=None, path=default_path(folder=folder, now=now))
    for name in to_delete(entry.name for entry in folder.iterdir()):
        (folder / name).unlink(missing_ok=True)
        log.info("Deleted the old backup %s.", folder / name)


JOB = Job(
    name=NAME,
    description=str(gettext_lazy("Back up the database every night and keep a week of them.")),
    run=run,
    next_after=daily_at(lambda: AT, business_zone),
)

if settings.BACKUP_DAILY:
    register(JOB)
