"""Write every row of every table (all models of all apps, and django_migrations) as JSON to
the file named in argv[1]; the backup round-trip test compares two databases with it."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    tables: dict[str, list[dict[str, object]]] = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model._base_manager.order_by("pk").values()
        tables[model._meta.label_lower] = list(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app, name, applied FROM django_migrations ORDER BY id")
        tables["django_migrations"] = [
            {"id": i, "app": a, "name": n, "applied": str(t)} for i, a, n, t in cursor.fetchall()
        ]
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(tables, out, cls=DjangoJSONEncoder, sort_keys=True)


if __name__ == "__main__":
    main()
