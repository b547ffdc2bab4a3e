"""Where exactly a person came from (``source_detail``: an import's file and batch).

On SQLite adding the column rebuilds ``people_person``, which drops the search triggers of 0002;
they are put back after the rebuild, both ways, as in 0005.
"""

from importlib import import_module

from django.db import migrations, models

restore_search_triggers = import_module(
    "goodwill.people.migrations.0005_person_created_by_person_source"
).restore_search_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_person_created_by_person_source"),
    ]

    operations = [
        # Backwards this runs last, after the field is removed (another rebuild).
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.AddField(
            model_name="person",
            name="source_detail",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=300, verbose_name="source detail"
            ),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
