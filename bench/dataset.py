"""What the benches that build their own SQLite data set share: a freshly migrated database,
filled once with plain ``sqlite3`` inserts and reused by later runs (migrated again, so a data set
kept from before newer migrations gets them), and people rows written straight into it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

PERSON_INSERT = (
    "INSERT INTO people_person (created_at, updated_at, street, locality, region,"
    " postal_code, country, given_name, family_name, preferred_name, primary_email,"
    " primary_phone, language, time_zone, notes, sort_key, family_key, search_doc, source,"
    " source_detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def person_row(
    stamp: str, record: dict[str, str], *, given: str = "", email: str | None = None
) -> tuple[Any, ...]:
    """A ``people_person`` row for a generated ``record`` (``given``/``email`` override its own)."""
    given = given or record["first_name"]
    family = record["last_name"]
    sort_key = f"{family} {given}"
    return (stamp, stamp, "", record["city"], "", "", "", given, family, "",
            record["email"] if email is None else email, record["phone"], "", "", "",
            sort_key.lower(), family.lower(), "", "import", "")  # fmt: skip


def insert_people(db: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
    """Write ``person_row`` rows."""
    db.executemany(PERSON_INSERT, rows)


def cached_build(
    work: Path,
    env: dict[str, str],
    fill: Callable[[sqlite3.Connection], dict[str, Any]],
    *,
    analyze: bool = True,
) -> dict[str, Any]:
    """The data set in ``work/data``: reused when ``work/built.json`` is there, else a freshly
    migrated database that ``fill`` writes in one transaction; returns what ``fill`` said plus
    ``build_s`` (kept in ``built.json``)."""
    path, done = work / "data" / "goodwill.sqlite3", work / "built.json"
    migrate = [sys.executable, "-m", "goodwill", "migrate", "-v", "0"]
    if done.exists():
        subprocess.run(migrate, env=env, cwd=REPO, check=True)  # noqa: S603
        return dict(json.loads(done.read_text()))
    work.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    subprocess.run(migrate, env=env, cwd=REPO, check=True)  # noqa: S603
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    with db:
        info = fill(db)
    if analyze:
        db.execute("ANALYZE")
    db.close()
    info["build_s"] = round(time.perf_counter() - start, 1)
    done.write_text(json.dumps(info))
    return info


def setup_django(data_dir: Path) -> None:
    """Django in this process, on the SQLite database in ``data_dir``."""
    os.environ["GOODWILL_DATA_DIR"] = str(data_dir)
    os.environ.pop("GOODWILL_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "goodwill.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
