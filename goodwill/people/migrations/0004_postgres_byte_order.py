"""PostgreSQL: compare the search keys byte by byte (COLLATE "C"), whatever the database's locale.

Range scans such as ``sort_key >= 'ann' AND sort_key < 'ann' || U+10FFFF`` then mean "starts with"
exactly as on SQLite, and the plain b-tree indexes serve them; the pattern indexes go.
"""

from django.db import migrations

COLUMNS = [("sort_key", 310), ("family_key", 150), ("primary_email", 254)]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS people_person_sort_like")
    schema_editor.execute("DROP INDEX IF EXISTS people_person_family_like")
    for column, length in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE people_person ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"'
        )
    # Changing a column's type drops its statistics; without them the planner walks the name
    # index for an email lookup.
    schema_editor.execute("ANALYZE people_person")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, length in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE people_person ALTER COLUMN {column} TYPE varchar({length}) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0003_family_sort_index")]
    operations = [migrations.RunPython(forward, backward)]
