"""Campaign queueing measurement for ``make bench``: ``campaign_queue`` for N recipients on
SQLite — the audience, then per person a rendered message with their own code, preference link,
list headers and footer, a recipient row, a touch and a timeline entry, 2,000 to a transaction.

The data set (N people who all like storm chasing and opted in to the offer's topic) is built
once with plain ``sqlite3`` in ``var/bench/queue-N/`` (see ``audience_bench.py``); each run
queues into a fresh copy of it, so a run never sees the previous run's messages.

    .venv/bin/python bench/queue_bench.py [--people N]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
TARGET_S = 30


def measure_queue(n: int) -> dict[str, Any]:
    """Build (or reuse) the data set, copy it, and time queueing one campaign to everyone."""
    from audience_bench import build, make_offer
    from dataset import setup_django

    work = REPO / "var" / "bench" / f"queue-{n}"
    info = build(work, n, fans=True)
    run = work / "run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(work / "data", run)
    setup_django(run)
    from goodwill.outreach.models import OutboxMessage
    from goodwill.outreach.selectors.audience import audience
    from goodwill.outreach.services.campaigns import campaign_create, campaign_queue

    offer = make_offer()
    start = time.perf_counter()
    found = audience(offer=offer)
    audience_s = time.perf_counter() - start
    campaign = campaign_create(actor=None, offer=offer, name="Bench")
    start, cpu = time.perf_counter(), time.process_time()
    campaign = campaign_queue(actor=None, campaign=campaign)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    messages = OutboxMessage.objects.filter(kind="marketing").count()
    shutil.rmtree(run, ignore_errors=True)
    return info | {
        "audience": len(found.recipients),
        "audience_s": round(audience_s, 2),
        "seconds": round(seconds, 2),
        # This process's own CPU time: on a shared machine, the wall time includes waiting.
        "cpu_s": round(cpu, 2),
        "per_second": round(messages / seconds) if seconds else None,
        "queued": campaign.queued_count,
        "held": campaign.held_count,
        "messages": messages,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "target_s": TARGET_S,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    print(json.dumps(measure_queue(args.people), indent=2))  # noqa: T201
