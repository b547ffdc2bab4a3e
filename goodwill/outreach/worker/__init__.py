"""The background worker: claims due outbox rows, sends them, records results, runs the schedule.

``run(name=..., stop_when_idle=True)`` runs one in the calling thread; ``Worker`` gives control
over stopping (the ``worker`` command and ``serve``'s in-process thread use it).
"""

from goodwill.outreach.worker.config import WorkerConfig, default_name
from goodwill.outreach.worker.loop import Worker, run

__all__ = ["Worker", "WorkerConfig", "default_name", "run"]
