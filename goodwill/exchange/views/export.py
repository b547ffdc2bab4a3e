"""The export page and the streamed files it links to (managers and owners)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Invalid
from goodwill.exchange.export.feedback_csv import feedback_export
from goodwill.exchange.export.forms import ExportForm
from goodwill.exchange.export.selectors import export_require
from goodwill.exchange.services.export import EXTENSIONS, people_export
from goodwill.feedback.forms import InboxFilterForm
from goodwill.people.selectors import organisation_get_for_user


def _invalid(form: ExportForm | InboxFilterForm) -> Invalid:
    fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    name, messages = next(iter(fields.items()))
    return Invalid(f"{name}: {messages[0]}", fields=fields)


@login_required
def export_page(request: AuthedRequest) -> HttpResponse:
    """Choose a format; the people list's filters come along in the query string."""
    export_require(request.user)
    form = ExportForm(request.GET)
    organisation = None
    if form.is_valid() and form.cleaned_data["organisation"]:
        organisation_id = form.cleaned_data["organisation"]
        organisation = organisation_get_for_user(user=request.user, organisation_id=organisation_id)
    context = {"form": form, "organisation": organisation}
    return render(request, "exchange/export.html", context, status=422 if form.errors else 200)


@login_required
def export_people(request: AuthedRequest, ext: str) -> HttpResponse | StreamingHttpResponse:
    """The people as a CSV, vCard or JSON file, streamed as it is written; filters that would
    be refused bring the export page back with the message on the field (422), before anything
    is written or audited."""
    export_require(request.user)
    form = ExportForm(request.GET)
    if form.is_valid():
        try:
            export = people_export(
                actor=request.user,
                format=EXTENSIONS[ext],
                filters=form.filters(),
                bom=form.cleaned_data["bom"],
            )
        except Invalid as exc:
            for name, messages in exc.fields.items():
                form.add_error(name if name in form.fields else None, messages)
        else:
            response = StreamingHttpResponse(export.pieces, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
    context = {"form": form, "organisation": None}
    return render(request, "exchange/export.html", context, status=422)


@login_required
def export_feedback(request: AuthedRequest) -> StreamingHttpResponse:
    """The feedback inbox (with its filters) as a CSV file, streamed (managers and owners)."""
    form = InboxFilterForm(request.GET)
    if not form.is_valid():
        raise _invalid(form)
    filename, pieces = feedback_export(
        actor=request.user, filters=form.filters(), bom=request.GET.get("bom") == "on"
    )
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
