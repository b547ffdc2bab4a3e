"""Drop indexes that another index already covers: each foreign key below leads a unique
constraint or a composite index (``person_email_uniq`` is (person, email), ``membership_org_idx``
(organisation, person), …), and two indexes were declared twice. Fewer indexes to keep up on
every insert (a bulk import's largest cost) and a smaller file; lookups use the covering index.

The foreign keys' indexes are dropped by name: on SQLite, Django's AlterField would copy each
table (twice for some) to change ``db_index``.
"""

import django.db.models.deletion
from django.db import migrations, models

COVERED = {
    "people_membership_organisation_id_a6c82864": ("people_membership", "organisation_id"),
    "people_membership_person_id_dd6d28d1": ("people_membership", "person_id"),
    "people_personemail_person_id_ea437548": ("people_personemail", "person_id"),
    "people_personinterest_interest_id_e267d3d2": ("people_personinterest", "interest_id"),
    "people_personinterest_person_id_fbb6ea2b": ("people_personinterest", "person_id"),
    "people_personphone_person_id_51f43c3c": ("people_personphone", "person_id"),
    "people_personrole_person_id_459322db": ("people_personrole", "person_id"),
    "people_relationship_from_person_id_5f14b94e": ("people_relationship", "from_person_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_person_source_detail"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_household_idx",
        ),
        migrations.RemoveIndex(
            model_name="relationship",
            name="relationship_to_idx",
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
                    model_name="membership",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="people.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personemail",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="emails",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personinterest",
                    name="interest",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="holders",
                        to="people.interest",
                    ),
                ),
                migrations.AlterField(
                    model_name="personinterest",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interests",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personphone",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="phones",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personrole",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roles",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="relationship",
                    name="from_person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="relationships_from",
                        to="people.person",
                    ),
                ),
            ],
        ),
    ]
