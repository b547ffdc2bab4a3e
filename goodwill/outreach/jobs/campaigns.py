"""``outreach.campaigns``: a worker queues the campaigns sent from the web page or the API, one
after the other, showing its progress on the campaign's page. Send makes the job due at once;
every five seconds it also looks on its own (and picks up a campaign whose worker stopped)."""

from __future__ import annotations

import datetime as dt
import os
import threading

from django.utils.translation import gettext_lazy as _

from goodwill.outreach.schedule.registry import Job, every, register
from goodwill.outreach.services.campaign_sending import (
    CAMPAIGNS_JOB,
    campaign_claim,
    campaign_run_claimed,
)


def run(now: dt.datetime) -> None:
    """Queue every campaign waiting to be sent, oldest first."""
    owner = f"campaigns-{os.getpid()}-{threading.get_ident()}"
    while (campaign := campaign_claim(owner=owner)) is not None:
        campaign_run_claimed(campaign=campaign, owner=owner)


JOB = register(
    Job(
        name=CAMPAIGNS_JOB,
        description=str(_("Queue the campaigns sent from the web page and the API.")),
        run=run,
        next_after=every(5),
    )
)
