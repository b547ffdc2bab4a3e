"""People lacking an email or a phone, by name: the only namesakes an imported row with both
can be the same person as (``exchange/importer/namesakes.py``). Partial, so a list where most
people have both keeps it small and an import of such people does not maintain it."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_drop_covered_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("primary_email", ""), ("primary_phone", ""), _connector="OR"),
                fields=["sort_key"],
                name="person_short_contact_idx",
            ),
        ),
    ]
