"""Import measurements for ``make bench``: a generated Google-Contacts CSV of the peers' data
imported into a fresh SQLite database by ``goodwill import``, imported again (every row a
duplicate), and the raw speed of ``sqlite3`` ``executemany`` for the same rows on this machine.

    .venv/bin/python bench/import_bench.py [N]
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import schema_floor  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
HEADER = [
    "First Name",
    "Last Name",
    "Birthday",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Address 1 - City",
    "Organization Name",
    "Labels",
]
TARGETS = {"import_s": 30, "reimport_s": 60, "rss_mb": 300}


def write_csv(path: Path, n: int) -> int:
    """The peers' ``n`` generated people as a Google Contacts CSV; nine in ten with a birthday
    (some without a year). Returns the file's size in bytes."""
    sys.path.insert(0, str(HERE))
    from build import datagen

    gen = datagen()
    names = gen.companies(max(1, n // 100))
    rnd = random.Random(4)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for r in gen.records(n):
            birthday = ""
            if rnd.random() < 0.9:
                month, day = rnd.randint(1, 12), rnd.randint(1, 28)
                year = rnd.randint(1940, 2006)
                birthday = (
                    f"{year}-{month:02d}-{day:02d}"
                    if rnd.random() < 0.6
                    else f"--{month:02d}-{day:02d}"
                )
            writer.writerow(
                [
                    r["first_name"],
                    r["last_name"],
                    birthday,
                    "* Home",
                    r["email"],
                    "Mobile",
                    r["phone"],
                    r["city"],
                    names[r["company_idx"]],
                    "Guests ::: * myContacts",
                ]
            )
    return path.stat().st_size


def raw_executemany(path: Path) -> dict[str, Any]:
    """The floor: the same rows into one plain SQLite table with ``executemany``, no checks."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "raw.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE person (given, family, birthday, email, phone, city, org)")
        start = time.perf_counter()
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            with db:
                db.executemany(
                    "INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?)",
                    ((r[0], r[1], r[2], r[4], r[6], r[7], r[8]) for r in rows),
                )
        seconds = time.perf_counter() - start
        count = db.execute("SELECT COUNT(*) FROM person").fetchone()[0]
        db.close()
    return {"rows": count, "seconds": round(seconds, 2), "rows_per_s": round(count / seconds)}


def _import(path: Path, env: dict[str, str]) -> dict[str, Any]:
    """``goodwill import PATH --json`` in a child process: seconds, its summary, peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "goodwill", "import", str(path), "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(done.stdout)
    return {
        "seconds": round(seconds, 2),
        "created": summary["created"],
        "updated": summary["updated"],
        "skipped": summary["skipped"],
        "errors": len(summary["errors"]),
        "peak_rss_mb": round(max(peak, before) / 1024),
    }


def search_triggers(work: Path) -> bool:
    """Whether the database keeps its substring index in step (the FTS5 triggers): an import
    without them would be measured too fast."""
    db = sqlite3.connect(work / "data" / "goodwill.sqlite3")
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    db.close()
    return "people_person_fts_ai" in names


def measure_import(n: int) -> dict[str, Any]:
    """Import ``n`` generated rows into an empty database, then again; and the raw floor."""
    work = REPO / "var" / "bench" / f"import-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    path = work / "contacts.csv"
    size = write_csv(path, n)
    env = dict(os.environ) | {"GOODWILL_DATA_DIR": str(work / "data")}
    env.pop("GOODWILL_DATABASE_URL", None)
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "goodwill", "migrate", "-v", "0"], env=env, cwd=REPO, check=True
    )
    triggers = search_triggers(work)
    empty = work / "empty.sqlite3"
    shutil.copyfile(work / "data" / "goodwill.sqlite3", empty)
    first = _import(path, env)
    again = _import(path, env)
    raw = raw_executemany(path)
    floor = schema_floor.measure(empty, path)
    deferred = schema_floor.measure(empty, path, deferred=True)
    rate = n / first["seconds"]
    return {
        "rows": n,
        "file_mb": round(size / 1e6, 1),
        "search_triggers": triggers,
        "import": first | {"rows_per_s": round(rate)},
        "reimport": again,
        "raw_executemany": raw,
        "ratio_to_raw": round(raw["rows_per_s"] / rate, 1),
        "schema_floor": floor,
        "ratio_to_schema_floor": round(floor["rows_per_s"] / rate, 1),
        "schema_floor_deferred": deferred,
        "ratio_to_schema_floor_deferred": round(deferred["rows_per_s"] / rate, 1),
        "targets_1m": TARGETS,
    }


if __name__ == "__main__":
    print(json.dumps(measure_import(int(sys.argv[1]) if sys.argv[1:] else 100_000), indent=2))  # noqa: T201
