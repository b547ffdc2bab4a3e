"""REST API of occasions (being built)."""

from ninja import Router

occasions_router = Router(tags=["occasions"])
agenda_router = Router(tags=["agenda"])
