"""PostgreSQL backups with ``pg_dump --format=custom`` and ``pg_restore``.

Connection details travel in the ``PG*`` environment variables, never on the command line, where
other users of the machine could read the password.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from goodwill.core.errors import GoodwillError, Invalid

EXTENSION = "dump"
HEADER = b"PGDMP"  # how a pg_dump custom-format archive starts
ENV_NAMES = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
OPTION_NAMES = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "passfile": "PGPASSFILE"}


def tool(name: str) -> str:
    """The full path of the PostgreSQL client program ``name`` (pg_dump, pg_restore)."""
    found = shutil.which(name)
    if found is None:
        raise GoodwillError(
            _("%(name)s was not found on PATH: install the PostgreSQL client programs.")
            % {"name": name}
        )
    return found


def environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """This process's environment plus the database's connection details as ``PG*``."""
    env = dict(os.environ)
    env["PGDATABASE"] = str(settings_dict["NAME"])
    for key, name in ENV_NAMES.items():
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    for key, name in OPTION_NAMES.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[name] = str(settings_dict["OPTIONS"][key])
    return env


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - a fixed program and our own arguments, no shell
        args, env=env, capture_output=True, text=True, check=False
    )


def _failed(program: str, result: subprocess.CompletedProcess[str]) -> GoodwillError:
    reason = (result.stderr.strip() or result.stdout.strip()).splitlines()
    return GoodwillError(
        _("%(program)s failed: %(reason)s")
        % {"program": program, "reason": reason[-1] if reason else result.returncode}
    )


def backup_to(settings_dict: dict[str, Any], target: Path) -> None:
    """Dump the database into the new file ``target`` (one consistent snapshot)."""
    result = _run(
        [tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}"],
        environment(settings_dict),
    )
    if result.returncode != 0:
        raise _failed("pg_dump", result)


def _not_a_backup(path: Path, reason: str) -> Invalid:
    message = _("%(path)s is not a goodwill backup (%(reason)s).") % {
        "path": path,
        "reason": reason,
    }
    return Invalid(message, fields={"path": [message]})


def read_migrations(path: Path) -> set[tuple[str, str]]:
    """Validate the dump ``path`` (``pg_restore`` reads all of it and it holds the data of
    ``django_migrations``) and return its applied migrations ``(app, name)``."""
    listing = _run([tool("pg_restore"), "--list", str(path)])
    if listing.returncode != 0:
        raise _not_a_backup(path, _("pg_restore cannot read it"))
    whole = _run([tool("pg_restore"), f"--file={os.devnull}", str(path)])
    if whole.returncode != 0:
        raise _not_a_backup(path, _("it is incomplete or damaged"))
    if not any(
        "TABLE DATA" in line and " django_migrations " in line
        for line in listing.stdout.splitlines()
    ):
        raise _not_a_backup(path, _("it has no django_migrations table"))
    data = _run(
        [tool("pg_restore"), "--data-only", "--table=django_migrations", "--file=-", str(path)]
    )
    if data.returncode != 0:
        raise _not_a_backup(path, _("its django_migrations table cannot be read"))
    return _copy_rows(data.stdout)


def read_tables(path: Path) -> set[str]:
    """The names of the tables in the dump ``path`` (already validated): its table of contents
    lists each as ``ID; OID OID TABLE SCHEMA NAME OWNER``."""
    listing = _run([tool("pg_restore"), "--list", str(path)])
    if listing.returncode != 0:
        raise _not_a_backup(path, _("pg_restore cannot read it"))
    tables = set()
    for line in listing.stdout.splitlines():
        words = line.split()
        if len(words) >= 6 and words[3] == "TABLE" and words[4] != "DATA":
            tables.add(words[5])
    return tables


def _copy_rows(sql: str) -> set[tuple[str, str]]:
    """``(app, name)`` of the rows in the ``COPY … django_migrations`` block of ``sql``."""
    rows: set[tuple[str, str]] = set()
    columns: list[str] | None = None
    for line in sql.splitlines():
        if columns is None:
            if line.startswith("COPY ") and "django_migrations" in line:
                columns = [
                    c.strip() for c in line[line.index("(") + 1 : line.index(")")].split(",")
                ]
            continue
        if line == "\\.":
            break
        values = dict(zip(columns, line.split("\t"), strict=False))
        rows.add((values["app"], values["name"]))
    return rows


def restore_from(path: Path, settings_dict: dict[str, Any]) -> None:
    """Restore the dump ``path`` into the (emptied) database, in one transaction."""
    result = _run(
        [
            tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-password",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        environment(settings_dict),
    )
    if result.returncode != 0:
        raise _failed("pg_restore", result)
