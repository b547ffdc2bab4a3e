"""Export measurements for ``make bench``: every person to CSV into a temporary file, rendered in
one process and in ``goodwill export``'s default number of worker processes (``--jobs``).

``measure_export(n)`` runs the export in a child process (so its peak memory is its own) against
the data set the environment points at (``GOODWILL_DATA_DIR`` / ``GOODWILL_DATABASE_URL``). The
child streams the export's chunks straight to the file without the audit entry the command
writes, so a bench data set is only read.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_1M_S = 20


def status_mb(field: str) -> int:
    """A memory line of /proc/self/status in MB (VmHWM: peak resident, which counts the SQLite
    file pages mapped by ``mmap_size``; RssAnon: the process's own memory); 0 without /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _child(jobs: int) -> None:
    """Export everyone to CSV in a temporary file, in ``jobs`` processes; print one JSON line
    with the numbers (``cpu`` is this process's own: the workers' is not in it)."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    import django

    django.setup()
    from goodwill.exchange.export.csv import csv_stream
    from goodwill.exchange.export.parallel import parallel_pieces
    from goodwill.exchange.export.selectors import Chunk, ExportFilters, export_chunks

    gc.freeze()  # as the export command does
    rows = 0

    def counted(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
        nonlocal rows
        for chunk in chunks:
            rows += len(chunk.people)
            yield chunk

    def add(count: int) -> None:
        nonlocal rows
        rows += count

    start, cpu = time.perf_counter(), time.process_time()
    if jobs > 1:
        pieces = parallel_pieces("csv", archived=False, jobs=jobs, bom=False, counted=add)
    else:
        pieces = csv_stream(counted(export_chunks(actor=None, filters=ExportFilters(), full=False)))
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        for piece in pieces:
            out.write(piece)
        out.flush()
        size = out.tell()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    memory = {"rss": status_mb("VmHWM"), "anon": status_mb("RssAnon")}
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "bytes": size, **memory}))  # noqa: T201


def measure_export(n: int) -> dict[str, Any]:
    """Time to export all ``n`` people to CSV in one process and in the command's default
    number of worker processes."""
    jobs = min(4, os.cpu_count() or 1)
    one = _measure(n, 1)
    return {"one_process": one, "workers": _measure(n, jobs) if jobs > 1 else one}


def _measure(n: int, jobs: int) -> dict[str, Any]:
    """Time to export all ``n`` people to CSV, rows per second, peak memory of the exporter."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(__file__).resolve()), "--child", str(jobs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = result["seconds"]
    return {
        "people": n,
        "jobs": jobs,
        "rows": result["rows"],
        "seconds": round(seconds, 2),
        "cpu_s": round(result["cpu"], 2),  # less than seconds when the database waits on disk
        "rows_per_s": round(result["rows"] / seconds) if seconds else 0,
        "mb": round(result["bytes"] / 1e6, 1),
        "peak_rss_mb": result["rss"],
        "anon_rss_mb": result["anon"],
        "target_1m_s": TARGET_1M_S,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(int(sys.argv[2]))
    else:
        count = int(sys.argv[1]) if sys.argv[1:] else 0
        print(json.dumps(measure_export(count)))  # noqa: T201
