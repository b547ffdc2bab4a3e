"""The substring search index: FTS5 (trigram) on SQLite, pg_trgm GIN on PostgreSQL.

SQLite keeps ``people_person_fts`` in step with ``people_person.search_doc`` through triggers;
PostgreSQL indexes ``search_doc`` directly.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE people_person_fts USING fts5("
    "search_doc, content='people_person', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_person_fts_ai AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_person_fts(rowid, search_doc) VALUES (new.id, new.search_doc); END",
    "CREATE TRIGGER people_person_fts_ad AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_doc) "
    "VALUES ('delete', old.id, old.search_doc); END",
    "CREATE TRIGGER people_person_fts_au AFTER UPDATE OF search_doc ON people_person BEGIN "
    "INSERT INTO people_person_fts(people_person_fts, rowid, search_doc) "
    "VALUES ('delete', old.id, old.search_doc); "
    "INSERT INTO people_person_fts(rowid, search_doc) VALUES (new.id, new.search_doc); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_person_fts_au",
    "DROP TRIGGER IF EXISTS people_person_fts_ad",
    "DROP TRIGGER IF EXISTS people_person_fts_ai",
    "DROP TABLE IF EXISTS people_person_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX people_person_search_trgm ON people_person USING gin (search_doc gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS people_person_search_trgm",
]


def forward(apps, schema_editor):
    statements = SQLITE_FORWARD if schema_editor.connection.vendor == "sqlite" else POSTGRES_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = SQLITE_BACKWARD if schema_editor.connection.vendor == "sqlite" else POSTGRES_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
