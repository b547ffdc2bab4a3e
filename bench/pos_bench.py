"""Point-of-sale import measurement: a generated till export of N rows imported by
``goodwill import --kind purchases`` into a fresh SQLite database whose customers (N / 5 people,
each with an email, one in three with a loyalty number) were written straight by ``sqlite3``.
Rows name their customer by email, loyalty number or phone in turn; one in fifty is a refund.

    .venv/bin/python bench/pos_bench.py [N]

Prints rows/s and the import's peak resident memory as JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
HEADER = ["Date", "Receipt no", "Type", "Item", "Department", "Total", "Customer Email",
          "Phone", "Member no", "Customer name"]  # fmt: skip
ITEMS = [("Produce box", "Grocery"), ("Olive oil", "Grocery"), ("Bread", "Bakery"),
         ("Cheese", "Deli"), ("Wine", "Cellar"), ("Coffee beans", "Grocery")]  # fmt: skip


def _phone(i: int) -> str:
    return f"+1902{2000000 + i:07d}"


def build_people(db: sqlite3.Connection, people: int) -> None:
    """``people`` customers, their emails, phones and loyalty numbers, by plain SQL."""
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S")
    db.executemany(
        "INSERT INTO people_person (id, created_at, updated_at, street, locality, region,"
        " postal_code, country, given_name, family_name, preferred_name, primary_email,"
        " primary_phone, language, time_zone, notes, sort_key, family_key, search_doc, source,"
        " source_detail) VALUES (?, ?, ?, '', '', '', '', '', ?, ?, '', ?, ?, '', '', '', ?, ?,"
        " '', 'imported', '')",
        (
            (i, stamp, stamp, f"Given{i}", f"Family{i}", f"c{i}@example.com", _phone(i),
             f"given{i} family{i}", f"family{i}")
            for i in range(1, people + 1)
        ),
    )  # fmt: skip
    db.executemany(
        "INSERT INTO people_personemail (person_id, email, label, is_primary) VALUES (?, ?, '', 1)",
        ((i, f"c{i}@example.com") for i in range(1, people + 1)),
    )
    db.executemany(
        "INSERT INTO people_personphone (person_id, e164, label, is_primary) VALUES (?, ?, '', 1)",
        ((i, _phone(i)) for i in range(1, people + 1)),
    )
    db.executemany(
        "INSERT INTO commerce_loyaltynumber (person_id, number, created_at) VALUES (?, ?, ?)",
        ((i, f"LC{i:07d}", stamp) for i in range(1, people + 1, 3)),
    )


def write_csv(path: Path, n: int, people: int) -> None:
    """``n`` till rows over two years, each naming a customer by email, loyalty or phone."""
    rnd = random.Random(5)
    start = NOW - dt.timedelta(days=730)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for row in range(n):
            who = 1 + int(people * rnd.random() ** 1.5)
            when = start + dt.timedelta(seconds=row * (730 * 86400 // max(n, 1)))
            item, department = rnd.choice(ITEMS)
            refund = rnd.random() < 0.02
            amount = f"{rnd.randint(2, 300)},{rnd.randint(0, 99):02d} €"
            email, phone, loyalty = "", "", ""
            key = row % 3
            if key == 1 and who % 3 == 1:
                loyalty = f"LC {who:07d}"
            elif key == 2:
                phone = _phone(who)
            else:
                email = f"c{who}@example.com"
            writer.writerow([
                when.strftime("%Y-%m-%d %H:%M"), f"R-{row + 1}", "Refund" if refund else "Sale",
                item, department, ("-" if refund else "") + amount, email, phone, loyalty,
                f"Given{who} Family{who}",
            ])  # fmt: skip


def _import(env: dict[str, str], path: Path) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "goodwill", "import", str(path), "--kind", "purchases", "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    summary = json.loads(done.stdout)
    return {
        "seconds": round(seconds, 2),
        "rows_per_s": round(summary["rows"] / seconds),
        "peak_rss_mb": round(peak / 1024),
        "purchases_created": summary["purchases_created"],
        "already_imported": summary["already_imported"],
        "error_count": summary["error_count"],
        "unknown_people": summary["unknown_people"],
    }


def measure(n: int) -> dict[str, Any]:
    """Build the database and the export, import it, then import it again (all duplicates)."""
    people = max(1, n // 5)
    with tempfile.TemporaryDirectory(prefix="pos-bench-") as work:
        data = Path(work) / "data"
        env = dict(os.environ) | {"GOODWILL_DATA_DIR": str(data)}
        env.pop("GOODWILL_DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "goodwill", "migrate", "-v", "0"], env=env, cwd=REPO, check=True
        )
        db = sqlite3.connect(data / "goodwill.sqlite3")
        with db:
            build_people(db, people)
        db.close()
        path = Path(work) / "till.csv"
        write_csv(path, n, people)
        first = _import(env, path)
        again = _import(env, path)
    return {"rows": n, "people": people, "first": first, "again": again}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if sys.argv[1:] else 100_000), indent=2))
