"""REST API of exchange (being built)."""

from ninja import Router

exports_router = Router(tags=["exports"])
