"""The substring index is kept by the database itself: guard it against migrations that drop it."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_search_index_is_in_place_after_every_migration() -> None:
    # On SQLite a migration that rebuilds people_person drops its triggers silently (0005 had to
    # put them back); on PostgreSQL the trigram index must exist.
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            names = [row[0] for row in cur.fetchall()]
            assert names == ["people_person_fts_ad", "people_person_fts_ai", "people_person_fts_au"]
        else:
            cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'people_person'")
            assert "people_person_search_trgm" in {row[0] for row in cur.fetchall()}
