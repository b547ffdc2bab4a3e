"""How we know a person (``source``) and who added them (``created_by``).

On SQLite adding a NOT NULL column rebuilds ``people_person``, which drops the triggers that keep
``people_person_fts`` in step (0002); they are put back after the rebuild, both ways. The rows
keep their ids and search text, so the index itself stays valid.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS people_person_fts_ai AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_person_fts(rowid, search_doc) VALUES (new.id, new.search_doc); END",
    "CREATE TRIGGER IF NOT EXISTS people_person_fts_ad AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_doc) "
    "VALUES ('delete', old.id, old.search_doc); END",
    "CREATE TRIGGER IF NOT EXISTS people_person_fts_au AFTER UPDATE OF search_doc "
    "ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_doc) "
    "VALUES ('delete', old.id, old.search_doc); "
    "INSERT INTO people_person_fts(rowid, search_doc) VALUES (new.id, new.search_doc); END",
]


def restore_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE_TRIGGERS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_postgres_byte_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Backwards this runs last, after the fields are removed (another rebuild).
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.AddField(
            model_name="person",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="source",
            field=models.CharField(
                choices=[
                    ("told_us", "told us"),
                    ("staff_observed", "staff observed"),
                    ("imported", "imported"),
                    ("form", "form"),
                ],
                default="told_us",
                max_length=20,
                verbose_name="source",
            ),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
