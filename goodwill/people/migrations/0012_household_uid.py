"""Each household's UID, stored: existing households get the one goodwill's vCard export has
written for them so far (derived from the site URL and the household's id), so that a file
exported before this migration still joins them; new households get a random UUID."""

import uuid

from django.conf import settings
from django.db import migrations, models

import goodwill.people.models

BATCH = 1000


def _fill(apps, schema_editor):
    Household = apps.get_model("people", "Household")
    ids = list(Household.objects.filter(uid=None).values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        households = [
            Household(
                id=pk,
                uid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/households/{pk}/")),
            )
            for pk in ids[start : start + BATCH]
        ]
        Household.objects.bulk_update(households, ["uid"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0011_person_archived_sort_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="uid",
            field=models.CharField(max_length=255, null=True, verbose_name="UID"),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="household",
            name="uid",
            field=models.CharField(
                default=goodwill.people.models.household_uid_new,
                editable=False,
                max_length=255,
                unique=True,
                verbose_name="UID",
            ),
        ),
    ]
