"""Where each email, phone and organisation of a person came from (``source``, ``source_detail``).

Rows stored before this migration take their person's source and detail: most were added with
the person (an imported person's address came with the import). An address a colleague added
later to an imported person is marked imported as well; its own audit entry says otherwise.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SOURCES = [
    ("told_us", "told us"),
    ("staff_observed", "staff observed"),
    ("imported", "imported"),
    ("form", "form"),
]
MODELS = ("personemail", "personphone", "membership")


def from_their_person(apps, schema_editor):
    person = apps.get_model("people", "Person")
    for name in MODELS:
        theirs = person.objects.filter(pk=OuterRef("person_id"))
        apps.get_model("people", name).objects.exclude(
            person__source="told_us", person__source_detail=""
        ).update(
            source=Subquery(theirs.values("source")[:1]),
            source_detail=Subquery(theirs.values("source_detail")[:1]),
        )


def fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="source",
            field=models.CharField(
                choices=SOURCES,
                db_default="told_us",
                default="told_us",
                max_length=20,
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="source_detail",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=300, verbose_name="source detail"
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_person_short_contact_idx"),
    ]

    operations = [
        *[op for name in MODELS for op in fields(name)],
        migrations.RunPython(from_their_person, migrations.RunPython.noop),
    ]
