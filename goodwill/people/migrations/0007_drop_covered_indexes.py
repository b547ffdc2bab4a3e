"""Drop indexes that another index already covers: two indexes declared twice (a household's
people, a relationship's other side), and four foreign keys that lead another index
(``membership_org_idx`` is (organisation, person), ``person_interest_holders_idx`` (interest,
attitude, person), and the unique (person, role) and (from person, to person, …) constraints).
Fewer indexes to keep up on every insert and a smaller file; lookups use the covering index.

The person indexes of emails, phones, interests and memberships stay: the export reads them by
ranges of people, and the narrow index is faster there than the unique (person, …) one.

The foreign keys' indexes are dropped by name: on SQLite, Django's AlterField would copy each
table to change ``db_index``.
"""

import django.db.models.deletion
from django.db import migrations, models

COVERED = {
    "people_membership_organisation_id_a6c82864": ("people_membership", "organisation_id"),
    "people_personinterest_interest_id_e267d3d2": ("people_personinterest", "interest_id"),
    "people_personrole_person_id_459322db": ("people_personrole", "person_id"),
    "people_relationship_from_person_id_5f14b94e": ("people_relationship", "from_person_id"),
}


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0006_person_source_detail'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='person',
            name='person_household_idx',
        ),
        migrations.RemoveIndex(
            model_name='relationship',
            name='relationship_to_idx',
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, (table, column) in COVERED.items()
            ],
            state_operations=[
            migrations.AlterField(
                model_name='membership',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='people.organisation'),
            ),
            migrations.AlterField(
                model_name='personinterest',
                name='interest',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='holders', to='people.interest'),
            ),
            migrations.AlterField(
                model_name='personrole',
                name='person',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='people.person'),
            ),
            migrations.AlterField(
                model_name='relationship',
                name='from_person',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='relationships_from', to='people.person'),
            ),
            ],
        ),
    ]
