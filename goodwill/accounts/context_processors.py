from __future__ import annotations

from django.http import HttpRequest

from goodwill.accounts.models import Business
from goodwill.accounts.services import business_get


def business(request: HttpRequest) -> dict[str, Business]:
    """The business profile for every page's header."""
    return {"business": business_get()}
