"""Delivery measurement for ``make bench``: a campaign of N marketing messages (default 20,000)
queued through ``campaign_queue`` — each with its own name, unsubscribe link, list headers and
footer — then sent by two ``goodwill worker --once`` processes to an aiosmtpd sink in a third
process (``bench/smtp_sink.py``) over loopback SMTP. Every claimed batch goes through the
claim-time re-check (consent, suppression, budget) before it is sent.

The rate is the messages over the seconds from the first to the last the sink received (target
≥ 200/s); the sink also counts duplicate Message-IDs. A fresh SQLite database in
``var/bench/delivery-N/`` each run; with ``GOODWILL_DATABASE_URL=postgres://…/<name with
"bench">`` a PostgreSQL database, dropped and re-created first.

    .venv/bin/python bench/delivery_bench.py [--messages N] [--workers K] [--batch B] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO / "goodwill" / "outreach" / "tests" / "kill9_worker.py"
TARGET_PER_S = 200


def _goodwill() -> list[str]:
    return [sys.executable, "-m", "goodwill"]


def _environment(n: int) -> dict[str, str]:
    """The environment of every child: a fresh database of its own."""
    env = {k: v for k, v in os.environ.items() if k != "GOODWILL_EMAIL_BACKEND"}
    url = env.get("GOODWILL_DATABASE_URL", "")
    data_dir = REPO / "var" / "bench" / f"delivery-{n}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env["GOODWILL_DATA_DIR"] = str(data_dir)
    if url:
        sys.path.insert(0, str(HERE))
        from run import postgres_reset

        postgres_reset(url)
    return env


def _states(env: dict[str, str]) -> dict[str, int]:
    script = (
        "import django, json; django.setup();"
        "from django.db.models import Count;"
        "from goodwill.outreach.models import OutboxMessage as M;"
        "print(json.dumps(dict(M.objects.values_list('state').annotate(n=Count('id')))))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=env | {"DJANGO_SETTINGS_MODULE": "goodwill.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def measure_delivery(n: int = 20_000, workers: int = 2, batch: int = 50) -> dict[str, Any]:
    """Queue a campaign to ``n`` people and time ``workers`` workers sending it."""
    sys.path.insert(0, str(HERE))
    from measure import free_port

    env = _environment(n)
    subprocess.run([*_goodwill(), "migrate", "--skip-checks", "-v", "0"], env=env, check=True)  # noqa: S603
    start = time.perf_counter()
    seeded = subprocess.run(  # noqa: S603
        [sys.executable, str(SEED), "seed", str(n)], env=env, capture_output=True, text=True
    )
    if seeded.returncode != 0:
        raise SystemExit(seeded.stderr)
    queue_s = time.perf_counter() - start
    queued = int(seeded.stdout.split()[-1])
    port = free_port()
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, str(HERE / "smtp_sink.py"), str(port), str(queued)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None
    assert sink.stdout.readline().strip() == "ready"
    worker_env = env | {"GOODWILL_EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    started = time.perf_counter()
    procs = [
        subprocess.Popen(  # noqa: S603
            [*_goodwill(), "worker", "--skip-checks", "--once", "--batch", str(batch)]
            + ["--name", f"bench-{i}"],
            env=worker_env,
            stdout=subprocess.DEVNULL,
        )
        for i in range(workers)
    ]
    try:
        result = json.loads(sink.stdout.readline())
    finally:
        for proc in procs:
            proc.wait(timeout=600)
        sink.kill()
    wall = time.perf_counter() - started
    seconds = max(result["seconds"], 1e-9)
    return {
        "workers": workers,
        "batch": batch,
        "db": "postgresql" if env.get("GOODWILL_DATABASE_URL") else "sqlite",
        "messages": queued,
        "received": result["received"],
        "duplicates": result["received"] - result["distinct"],
        "seconds": round(seconds, 2),
        "per_second": round(result["received"] / seconds),
        "wall_seconds": round(wall, 2),
        "campaign_queue_seconds": round(queue_s, 2),
        "states": _states(env),
        "target_per_second": TARGET_PER_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="Print only the JSON result.")
    args = parser.parse_args()
    result = measure_delivery(args.messages, args.workers, args.batch)
    if args.json:
        print(json.dumps(result))  # noqa: T201
        return
    print(  # noqa: T201
        f"delivery: {result['per_second']} messages/s with {result['workers']} workers on "
        f"{result['db']} ({result['received']:,} of {result['messages']:,} in "
        f"{result['seconds']} s, {result['duplicates']} duplicates; campaign queued in "
        f"{result['campaign_queue_seconds']} s; target ≥ {TARGET_PER_S}/s)"
    )
    print(json.dumps(result, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
