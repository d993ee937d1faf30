"""Trigram indexes for the name search of the candidate and dossier lists (PostgreSQL).

``icontains`` compiles to ``UPPER(col::text) LIKE UPPER('%term%')`` on PostgreSQL: GIN
``gin_trgm_ops`` indexes on the same ``UPPER(col::text)`` expressions serve it. pg_trgm is a
trusted extension (PostgreSQL 13+): the database owner may create it. Nothing on SQLite (the
embedded default of ``make run``), where the search stays a scan of the centre's rows.
"""

from django.db import migrations

COLUMNS = ("birth_name", "usage_name", "first_names")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS candidate_{column}_trgm ON candidates_candidate "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS company_name_trgm ON centres_company "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS candidate_{column}_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS company_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0001_initial"),
        ("centres", "0003_auditentry_append_only"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
