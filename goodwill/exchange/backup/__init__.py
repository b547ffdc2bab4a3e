"""Backups of the whole database and their restore: ``backup_create``, ``backup_restore`` and
``backup_list``. SQLite uses its online backup API, PostgreSQL ``pg_dump``/``pg_restore``.

These are operator operations (the command line, ``actor=None``) or owners'.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import AuditEntry, Business, User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.exchange.backup import postgres, sqlite
from goodwill.exchange.backup.partials import partial_create, partial_done, partials_sweep
from goodwill.exchange.backup.retention import backup_name, parse_name, sequence

# Rows these tables may hold in a database that counts as empty: what `migrate` writes,
# the schedule's bookkeeping, sessions, and the one-row settings a first page view creates.
EMPTY_ALLOWED = {
    "auth.permission",
    "contenttypes.contenttype",
    "sessions.session",
    "outreach.scheduledjob",
    "accounts.business",
    "occasions.occasionsettings",
}
# How many backups of one database may be taken in the same second into one folder.
SAME_SECOND = 1000


@dataclass(frozen=True)
class BackupFile:
    """A backup on disk: where it is, how big, and when it was taken."""

    path: Path
    size: int
    taken_at: dt.datetime


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise Invalid(_("Backups support SQLite and PostgreSQL, not %s.") % vendor)
    return vendor


def backup_folder() -> Path:
    """Where backups go unless a path is given: ``DATA_DIR/backups``."""
    return Path(settings.DATA_DIR) / "backups"


def default_path(
    *,
    using: str = DEFAULT_DB_ALIAS,
    folder: Path | None = None,
    now: dt.datetime | None = None,
    seq: int = 1,
) -> Path:
    """``folder/goodwill-<database>-<UTC time>[-<seq>].<sqlite3|dump>`` for the database
    ``using``: the ``seq``-th backup taken in that second (the first has no ``-seq``)."""
    vendor = _vendor(using)
    name = str(connections[using].settings_dict["NAME"])
    database = Path(name).stem if vendor == "sqlite" else name
    database = "".join(c if c.isalnum() or c in "_." else "_" for c in database) or "db"
    extension = sqlite.EXTENSION if vendor == "sqlite" else postgres.EXTENSION
    folder = folder if folder is not None else backup_folder()
    return folder / backup_name(database, now or timezone.now(), extension, seq)


def _targets(path: Path | None, using: str) -> list[Path]:
    """The names the backup may take, first free one wins: ``path`` itself, or (none given, or
    an existing folder, as ``cp`` does) a generated name in that folder, then the same name
    with ``-2``, ``-3``, … for the backups taken in the same second."""
    if path is not None and not path.is_dir():
        return [path]
    now = timezone.now()
    return [
        default_path(using=using, folder=path, now=now, seq=seq)
        for seq in range(1, SAME_SECOND + 1)
    ]


def _exists(path: Path) -> Invalid:
    message = _("%s already exists; it was not overwritten.") % path
    return Invalid(message, fields={"path": [message]})


def _cannot_write(path: Path, exc: OSError, where: object = None) -> Invalid:
    """``path`` cannot be written (a file where a folder should be, no permission, …)."""
    message = _("The backup failed: %(path)s cannot be made (%(reason)s: %(where)s).") % {
        "path": path,
        "reason": exc.strerror or exc,
        "where": where or exc.filename or path,
    }
    return Invalid(message, fields={"path": [message]})


def _check_migrated(using: str) -> None:
    """Refuse (Conflict) a database goodwill never set up (``migrate`` never ran): it holds no
    goodwill data, and the backup could not be audited in it."""
    connection = connections[using]
    needed = {Business._meta.db_table, AuditEntry._meta.db_table}
    if not needed <= set(connection.introspection.table_names()):
        raise Conflict(
            _(
                "The database %(name)s holds no goodwill data: it was never set up. Run "
                "`goodwill migrate` first; nothing was backed up."
            )
            % {"name": connection.settings_dict["NAME"]}
        )


def _prepare(path: Path, *, generated: bool) -> None:
    """Refuse an existing ``path`` unless its name is ``generated`` (then another is taken);
    make its folder; sweep the temporary files of killed backups out of it."""
    try:
        if path.exists() and not generated:
            raise _exists(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    partials_sweep(folder=path.parent)


def _publish(temporary: Path, targets: list[Path]) -> Path:
    """Give the finished ``temporary`` file the first free name of ``targets``, never replacing
    a file; that name."""
    for path in targets:
        try:
            os.link(temporary, path)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _cannot_write(path, exc, path) from exc
        return path
    raise _exists(targets[-1])


def backup_create(
    *, actor: User | None = None, path: Path | None = None, using: str = DEFAULT_DB_ALIAS
) -> BackupFile:
    """Write a consistent backup of the live database to ``path`` (a new file; default in
    ``DATA_DIR/backups``) while the app keeps running; audited as ``backup.create``. The copy
    is owner-only (0600) from its first byte; a path that cannot be written is refused naming
    it, and a database never set up (or whose audit log lacks migrations) is refused, leaving
    no file. An existing folder as ``path`` gets the backup under its generated name."""
    require_role(actor, User.Role.OWNER)
    vendor = _vendor(using)
    _check_migrated(using)
    targets = _targets(Path(path) if path is not None else None, using)
    path = targets[0]
    _prepare(path, generated=len(targets) > 1)
    try:
        temporary = partial_create(path)
    except OSError as exc:
        raise _cannot_write(path, exc, path.parent) from exc
    try:
        if vendor == "sqlite":
            sqlite.backup_to(connections[using], temporary)
        else:
            postgres.backup_to(connections[using].settings_dict, temporary)
        path = _publish(temporary, targets)
    finally:
        partial_done(temporary)
    size = path.stat().st_size
    _audit_create(actor=actor, path=path, size=size, using=using)
    return BackupFile(path=path, size=size, taken_at=timezone.now())


def _audit_create(*, actor: User | None, path: Path, size: int, using: str) -> None:
    """Audit the new backup ``path``. Where the audit log cannot take it (the database lacks
    migrations), the backup is removed again: no copy of everyone's data goes unrecorded."""
    try:
        audit_record(
            actor=actor,
            action="backup.create",
            target=business_get(),
            changes={"path": str(path), "size": size},
        )
    except DatabaseError as exc:
        path.unlink(missing_ok=True)
        raise Conflict(
            _(
                "The backup could not be recorded in the audit log of %(name)s (%(reason)s). "
                "Run `goodwill migrate` first; nothing was backed up."
            )
            % {"name": connections[using].settings_dict["NAME"], "reason": exc}
        ) from exc


def backup_list(*, folder: Path | None = None) -> list[BackupFile]:
    """The backups in ``folder`` (default ``DATA_DIR/backups`` and its ``daily``), newest
    first; files not named like a backup are left out."""
    folders = [folder] if folder is not None else [backup_folder(), backup_folder() / "daily"]
    found = []
    for where in folders:
        if not where.is_dir():
            continue
        for entry in where.iterdir():
            parsed = parse_name(entry.name)
            if parsed is not None and entry.is_file():
                found.append(BackupFile(path=entry, size=entry.stat().st_size, taken_at=parsed[1]))
    return sorted(
        found, key=lambda b: (b.taken_at, sequence(b.path.name), str(b.path)), reverse=True
    )


def _unknown_migrations(applied: set[tuple[str, str]], path: Path, loader: MigrationLoader) -> None:
    unknown = sorted(applied - set(loader.disk_migrations))
    if unknown:
        message = _(
            "%(path)s was made by a newer goodwill (%(count)d migrations this version does "
            "not know, such as %(first)s): upgrade goodwill, then restore."
        ) % {"path": path, "count": len(unknown), "first": ".".join(unknown[0])}
        raise Invalid(message, fields={"path": [message]})


def _missing_tables(
    applied: set[tuple[str, str]], tables: set[str], path: Path, loader: MigrationLoader
) -> None:
    """Refuse a backup that lacks a table its own migrations made (dropped by hand, or not a
    goodwill database): restored, every command would fail with "no such table"."""
    nodes = [node for node in applied if node in loader.graph.nodes]
    state = loader.graph.make_state(nodes=nodes)
    expected = {
        model._meta.db_table
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    missing = sorted(expected - tables)
    if missing:
        more = _(" and %d more") % (len(missing) - 5) if len(missing) > 5 else ""
        message = _(
            "%(path)s is not a complete goodwill backup: tables its migrations made are missing "
            "(%(tables)s%(more)s). Nothing was restored."
        ) % {"path": path, "tables": ", ".join(missing[:5]), "more": more}
        raise Invalid(message, fields={"path": [message]})


def _check_empty(using: str) -> None:
    """Refuse (Conflict) when the database holds any data; a missing table is empty."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    used = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in EMPTY_ALLOWED or model._meta.db_table not in tables:
            continue
        if model._base_manager.using(using).exists():
            used.append(model._meta.db_table)
    if used:
        raise Conflict(
            _(
                "The database is not empty (%(tables)s hold rows): a backup is only restored into "
                "an empty database. Point goodwill at a new database, or a new data folder."
            )
            % {"tables": ", ".join(sorted(used)[:5]) + (" …" if len(used) > 5 else "")}
        )


def _drop_tables(using: str) -> None:
    """Drop every table of the (empty) PostgreSQL database, so the dump's schema is the only
    one and newer migrations can apply after it."""
    connection = connections[using]
    tables = connection.introspection.table_names()
    if tables:
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")  # noqa: S608


def _check_kind(path: Path, vendor: str) -> None:
    """Refuse a backup of the other kind of database than this goodwill's, saying so."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(sqlite.HEADER))
    except OSError as exc:
        message = _("%(path)s cannot be read (%(reason)s).") % {
            "path": path,
            "reason": exc.strerror or exc,
        }
        raise Invalid(message, fields={"path": [message]}) from exc
    if vendor == "postgresql" and head.startswith(sqlite.HEADER):
        message = _(
            "%s is a SQLite backup, and this goodwill uses PostgreSQL: restore it into a "
            "goodwill that uses SQLite (a new data folder, without GOODWILL_DATABASE_URL)."
        )
    elif vendor == "sqlite" and head.startswith(postgres.HEADER):
        message = _(
            "%s is a PostgreSQL backup, and this goodwill uses SQLite: restore it into a "
            "goodwill that uses an empty PostgreSQL database (GOODWILL_DATABASE_URL)."
        )
    else:
        return
    raise Invalid(message % path, fields={"path": [message % path]})


def backup_restore(
    *, actor: User | None = None, path: Path, using: str = DEFAULT_DB_ALIAS
) -> BackupFile:
    """Restore the backup ``path`` into the empty database ``using``, then migrate it.

    The file is validated first (format, integrity, no migrations unknown to this code, every
    table its migrations made); a database holding any data is refused. SQLite: no other
    goodwill process may be running. Audited as ``backup.restore`` after the restore, in the
    restored database.
    """
    require_role(actor, User.Role.OWNER)
    vendor = _vendor(using)
    path = Path(path)
    if not path.is_file():
        raise NotFound(_("%s does not exist or is not a file.") % path)
    _check_kind(path, vendor)
    reader = sqlite.read_migrations if vendor == "sqlite" else postgres.read_migrations
    tables = sqlite.read_tables if vendor == "sqlite" else postgres.read_tables
    applied = reader(path)
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    _unknown_migrations(applied, path, loader)
    _missing_tables(applied, tables(path), path, loader)
    _check_empty(using)
    connection = connections[using]
    if vendor == "sqlite":
        live = str(connection.settings_dict["NAME"])
        connection.close()
        sqlite.restore_from(path, live)
    else:
        _drop_tables(using)
        connection.close()
        postgres.restore_from(path, connection.settings_dict)
    call_command("migrate", database=using, verbosity=0, interactive=False)
    audit_record(
        actor=actor,
        action="backup.restore",
        target=business_get(),
        changes={"path": str(path), "size": path.stat().st_size},
    )
    return BackupFile(path=path, size=path.stat().st_size, taken_at=timezone.now())
