"""Web helpers shared by every app's views: htmx fragments and core errors on forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from goodwill.core.errors import GoodwillError, Invalid


class HasPage(Protocol):
    """A record with a page of its own."""

    def get_absolute_url(self) -> str: ...


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
    for service_name, texts in fields.items():
        name = (aliases or {}).get(service_name, service_name)
        target = name if name in form.fields else None
        for message in texts:
            form.add_error(target, message)


def save_form(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], HasPage],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The add/edit page of a record: on a valid POST call ``save`` (one service) and go to the
    saved record's page; a service's Invalid goes on the named fields and the form comes back
    with 422."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved.get_absolute_url())
    status = 422 if form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)
