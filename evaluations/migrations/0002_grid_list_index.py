"""Index for the grid list of the API (newest sessions first, then dossiers, by id), added
by the performance work: the list reads the first page from the index instead of sorting
every grid of the centre. SQL only (no model state): nothing for makemigrations to see."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS grid_centre_session_dossier "
            "ON evaluations_grid (centre_id, session_id DESC, dossier_id DESC)",
            "DROP INDEX IF EXISTS grid_centre_session_dossier",
        )
    ]
