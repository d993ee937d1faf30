"""Covering indexes for the candidate list's search and filters (PostgreSQL only).

The list's count and its dossier criteria read a centre's candidates' names and its
dossiers' states: with these columns in the index, PostgreSQL answers from the index alone
(index-only scans) instead of visiting a heap page per candidate — a centre's rows are
spread over the whole table. Nothing on SQLite (no ``INCLUDE``).
"""

from django.db import migrations

INDEXES = {
    "candidate_centre_names_cover": (
        "candidates_candidate (centre_id, id) INCLUDE (birth_name, usage_name, first_names)"
    ),
    "dossier_centre_status_cover": "candidates_dossier (centre_id, status) INCLUDE (candidate_id)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("candidates", "0003_dossier_list_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
