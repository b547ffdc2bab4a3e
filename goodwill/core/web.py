"""Web helpers shared by every app's views: htmx fragments and core errors on forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goodwill.core.errors import GoodwillError


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx sent the request (it then wants a fragment, not a page)."""
    headers = request.headers
    return headers.get("HX-Request") == "true" and not headers.get("HX-History-Restore-Request")


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only its ``{% partialdef fragment %}`` for htmx requests."""
    name = f"{template}#{fragment}" if fragment and is_htmx(request) else template
    return render(request, name, context, status=status)


def add_form_errors(
    form: forms.BaseForm, exc: GoodwillError, aliases: dict[str, str] | None = None
) -> None:
    """Put a core error's field messages on the form's fields (unknown fields: form-wide).

    ``aliases`` maps a service's field name to the form's, where they differ.
    """
    fields = exc.fields or {"__all__": [exc.message]}
    for service_name, messages in fields.items():
        name = (aliases or {}).get(service_name, service_name)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
