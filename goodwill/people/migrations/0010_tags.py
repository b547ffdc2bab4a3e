"""Tags: the business's own labels for people ("VIP", "Christmas card list"), each link with its
source, who added it and when. "Everyone tagged X" reads the (tag, person) index."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0009_contact_sources'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Tag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('key', models.CharField(max_length=100, unique=True)),
                ('people_count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['key'],
            },
        ),
        migrations.CreateModel(
            name='PersonTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('told_us', 'told us'), ('staff_observed', 'staff observed'), ('imported', 'imported'), ('form', 'form')], db_default='told_us', default='told_us', max_length=20, verbose_name='source')),
                ('source_detail', models.CharField(blank=True, db_default='', default='', max_length=300, verbose_name='source detail')),
                ('added_at', models.DateTimeField(verbose_name='added at')),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tag_links', to='people.person')),
                ('tag', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='people.tag')),
            ],
            options={
                'indexes': [models.Index(fields=['tag', 'person'], name='person_tag_tag_idx')],
                'constraints': [models.UniqueConstraint(fields=('person', 'tag'), name='person_tag_uniq')],
            },
        ),
    ]
