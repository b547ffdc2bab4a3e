# Every bad row and value left out of an import becomes a row of its own (ImportProblem) instead
# of an entry of the batch's JSON lists, which kept only the first 10,000 of each.

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def problems_from_lists(apps: Any, schema_editor: Any) -> None:
    """Move each batch's listed errors and warnings into ImportProblem rows, in list order,
    keeping a warning's person (when they are still there) or traces."""
    using = schema_editor.connection.alias
    batch_model = apps.get_model("exchange", "ImportBatch")
    problem_model = apps.get_model("exchange", "ImportProblem")
    trace_model = apps.get_model("exchange", "ImportProblemTrace")
    person_model = apps.get_model("people", "Person")
    for batch in batch_model.objects.using(using).only("pk", "errors", "warnings").iterator():
        ids = {w.get("person_id") for w in batch.warnings or [] if w.get("person_id")}
        there = set(
            person_model.objects.using(using).filter(pk__in=ids).values_list("pk", flat=True)
        )
        rows, traces = [], []
        for kind, listed in (("error", batch.errors or []), ("warning", batch.warnings or [])):
            for entry in listed:
                person_id = entry.get("person_id")
                rows.append(
                    problem_model(
                        batch_id=batch.pk,
                        kind=kind,
                        line=int(entry.get("line") or 0),
                        column=str(entry.get("column") or "")[:255],
                        message=str(entry.get("message") or ""),
                        person_id=person_id if person_id in there else None,
                    )
                )
                traces.append([str(t)[:16] for t in entry.get("traces") or ()])
        problem_model.objects.using(using).bulk_create(rows, batch_size=2000)
        trace_model.objects.using(using).bulk_create(
            [
                trace_model(problem_id=row.pk, hash=trace)
                for row, found in zip(rows, traces, strict=True)
                for trace in found
            ],
            batch_size=2000,
        )


def lists_from_problems(apps: Any, schema_editor: Any) -> None:
    """Going back: the first 10,000 errors and warnings of each batch as its JSON lists again
    (what the lists kept before this migration)."""
    using = schema_editor.connection.alias
    batch_model = apps.get_model("exchange", "ImportBatch")
    problem_model = apps.get_model("exchange", "ImportProblem")
    for batch in batch_model.objects.using(using).only("pk").iterator():
        lists: dict[str, list[dict[str, Any]]] = {"error": [], "warning": []}
        problems = problem_model.objects.using(using).filter(batch_id=batch.pk).order_by("id")
        for problem in problems.prefetch_related("traces").iterator(chunk_size=2000):
            listed = lists[problem.kind]
            if len(listed) >= 10_000:
                continue
            entry: dict[str, Any] = {
                "line": problem.line,
                "column": problem.column,
                "message": problem.message,
            }
            traces = [t.hash for t in problem.traces.all()]
            if problem.person_id is not None:
                entry["person_id"] = problem.person_id
            elif traces:
                entry["traces"] = traces
            listed.append(entry)
        batch_model.objects.using(using).filter(pk=batch.pk).update(
            errors=lists["error"], warnings=lists["warning"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0006_suppression_key"),
        ("people", "0009_contact_sources"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportProblem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("error", "bad row"), ("warning", "value left out")],
                        max_length=7,
                    ),
                ),
                ("line", models.PositiveIntegerField()),
                ("column", models.CharField(blank=True, max_length=255)),
                ("message", models.TextField()),
                ("person_id", models.BigIntegerField(blank=True, db_index=True, null=True)),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="problems",
                        to="exchange.importbatch",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "indexes": [
                    models.Index(fields=["batch", "kind", "id"], name="importproblem_batch_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="ImportProblemTrace",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("hash", models.CharField(db_index=True, max_length=16)),
                (
                    "problem",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="traces",
                        to="exchange.importproblem",
                    ),
                ),
            ],
        ),
        migrations.RunPython(problems_from_lists, lists_from_problems),
        migrations.RemoveField(model_name="importbatch", name="errors"),
        migrations.RemoveField(model_name="importbatch", name="warnings"),
    ]
