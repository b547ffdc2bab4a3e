"""The import pages (managers and owners): upload a file, confirm the mapping and options, follow
the queued run live, and download its report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, GoodwillError
from goodwill.core.web import add_form_errors, is_htmx, render_page
from goodwill.exchange.importer.forms import ImportOptionsForm, ImportUploadForm
from goodwill.exchange.importer.report import problems_listed, report_lines
from goodwill.exchange.models import ImportBatch, ImportProblem
from goodwill.exchange.pos import columns as pos_columns
from goodwill.exchange.pos.forms import PosOptionsForm, PosUploadForm
from goodwill.exchange.selectors import (
    FIELD_CHOICES,
    import_batch_get_for_user,
    import_batch_list,
    import_columns,
)
from goodwill.exchange.services.imports import import_cancel, import_queue, import_upload

SHOWN_ROWS = 100


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: AuthedRequest) -> HttpResponse:
    """GET: the upload form and the latest imports; POST: keep the file, then the mapping."""
    require_role(request.user, User.Role.MANAGER)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_upload(actor=request.user, name=upload.name, chunks=upload.chunks())
        except GoodwillError as exc:
            add_form_errors(form, exc)
        else:
            return redirect("exchange:import_detail", pk=batch.pk)
    context = {"form": form, "batches": import_batch_list(user=request.user)}
    status = 422 if form.errors else 200
    return render(request, "exchange/import_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pos_import_new(request: AuthedRequest) -> HttpResponse:
    """GET: the upload form of a point-of-sale export; POST: keep the file, then the mapping."""
    require_role(request.user, User.Role.MANAGER)
    form = PosUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_upload(
                actor=request.user,
                name=upload.name,
                chunks=upload.chunks(),
                kind=ImportBatch.Kind.PURCHASES,
            )
        except GoodwillError as exc:
            add_form_errors(form, exc)
        else:
            return redirect("exchange:import_detail", pk=batch.pk)
    status = 422 if form.errors else 200
    return render(request, "exchange/pos_import_new.html", {"form": form}, status=status)


def _options_form(request: AuthedRequest, batch: ImportBatch) -> ImportOptionsForm:
    columns = import_columns(batch=batch)
    data = request.POST if request.method == "POST" else None
    initial = batch.options or None
    chosen = dict(batch.options.get("mapping") or {})
    if batch.kind == ImportBatch.Kind.PURCHASES:
        choices = pos_columns.FIELD_CHOICES
        return PosOptionsForm(
            data, columns=columns, choices=choices, chosen=chosen, initial=initial
        )
    return ImportOptionsForm(
        data, columns=columns, choices=FIELD_CHOICES, chosen=chosen, initial=initial
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A draft: its mapping step (POST queues it, as a dry run with ``check``). Afterwards: the
    live progress, the counts and the first bad rows and warnings."""
    batch = import_batch_get_for_user(user=request.user, batch_id=pk)
    if request.method == "POST" and batch.real_run_id is not None:
        return redirect("exchange:import_detail", pk=batch.real_run_id)  # a second click
    form = None
    if batch.state in (ImportBatch.State.DRAFT, ImportBatch.State.DRY_RUN) and batch.stored_file:
        form = _options_form(request, batch)
        if request.method == "POST" and form.is_valid():
            dry_run = "check" in request.POST
            try:
                queued = import_queue(
                    actor=request.user, batch=batch, options=form.options(), dry_run=dry_run
                )
            except GoodwillError as exc:
                add_form_errors(form, exc, aliases={"map": "__all__"})
            else:
                return redirect("exchange:import_detail", pk=queued.pk)
    # One more than shown, to say when the report has more than the page.
    errors = problems_listed(batch, ImportProblem.Kind.ERROR, SHOWN_ROWS + 1)
    warnings = problems_listed(batch, ImportProblem.Kind.WARNING, SHOWN_ROWS + 1)
    context = {
        "batch": batch,
        "form": form,
        "errors": errors[:SHOWN_ROWS],
        "more_errors": len(errors) > SHOWN_ROWS,
        "warnings": warnings[:SHOWN_ROWS],
        "more_warnings": len(warnings) > SHOWN_ROWS,
    }
    status = 422 if form is not None and form.errors else 200
    response = render_page(
        request, "exchange/import_detail.html", context, fragment="progress", status=status
    )
    if is_htmx(request) and batch.finished:
        response["HX-Refresh"] = "true"  # the polling ends: the whole page shows what is next
    return response


@login_required
@require_POST
def import_cancel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Cancel an import that has not started, or discard a dry run's file."""
    batch = import_batch_get_for_user(user=request.user, batch_id=pk)
    try:
        import_cancel(actor=request.user, batch=batch)
    except Conflict as exc:  # the worker took it meanwhile: back to its page, which says so
        messages.error(request, exc.message)
        return redirect("exchange:import_detail", pk=batch.pk)
    messages.success(request, _("Import of %(file)s cancelled.") % {"file": batch.file_name})
    return redirect("exchange:import_new")


@login_required
@require_GET
def import_report(request: AuthedRequest, pk: int) -> StreamingHttpResponse:
    """Every bad row and warning as a CSV file (cells that look like formulas neutralised),
    streamed: a file of a million bad rows is not held in memory."""
    batch = import_batch_get_for_user(user=request.user, batch_id=pk)
    response = StreamingHttpResponse(report_lines(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.csv"'
    return response
