"""The birth place's official codes: ``Commune`` and ``Country`` (INSEE reference tables,
not tenant-scoped), ``Candidate.birth_commune_code`` and ``birth_country_code``; on
PostgreSQL a trigram index on ``Commune.search_name`` for the picker's ``LIKE '%word%'``
(pg_trgm, created by 0002)."""

from django.db import migrations, models


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS commune_search_name_trgm ON candidates_commune "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS commune_search_name_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('candidates', '0006_import_parsed_once_and_free_text_max_lengths'),
    ]

    operations = [
        migrations.CreateModel(
            name='Country',
            fields=[
                ('code', models.CharField(max_length=5, primary_key=True, serialize=False, verbose_name='code INSEE')),
                ('name', models.CharField(max_length=80, verbose_name='nom')),
            ],
            options={
                'verbose_name': 'pays',
                'verbose_name_plural': 'pays',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='candidate',
            name='birth_commune_code',
            field=models.CharField(blank=True, max_length=5, verbose_name='code INSEE de la commune de naissance'),
        ),
        migrations.AddField(
            model_name='candidate',
            name='birth_country_code',
            field=models.CharField(blank=True, help_text='99100 pour la France.', max_length=5, verbose_name='code INSEE du pays de naissance'),
        ),
        migrations.CreateModel(
            name='Commune',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=5, verbose_name='code INSEE')),
                ('name', models.CharField(max_length=80, verbose_name='nom')),
                ('department', models.CharField(max_length=3, verbose_name='département')),
                ('kind', models.CharField(choices=[('commune-actuelle', 'commune'), ('commune-deleguee', 'commune déléguée'), ('commune-associee', 'commune associée'), ('arrondissement-municipal', 'arrondissement municipal')], default='commune-actuelle', max_length=24, verbose_name='type')),
                ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='population')),
                ('search_name', models.CharField(editable=False, max_length=80)),
            ],
            options={
                'verbose_name': 'commune',
                'verbose_name_plural': 'communes',
                'ordering': ['name', 'code'],
                'indexes': [models.Index(fields=['code'], name='candidates__code_c82487_idx'), models.Index(fields=['search_name'], name='candidates__search__b5b35b_idx')],
                'constraints': [models.UniqueConstraint(fields=('code', 'kind'), name='commune_code_kind_unique')],
            },
        ),
        migrations.RunPython(trigram_index, drop_trigram_index, elidable=False),
    ]
