"""Every periodic job: importing this package registers them all in the schedule.

A new job is a module here that calls ``register(Job(...))`` at import, plus one import line.
"""

from goodwill.outreach.jobs import (  # noqa: F401
    campaigns,
    digest,
    feedback_digest,
    journey,
    reaper,
)
