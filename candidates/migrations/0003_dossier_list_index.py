"""Index for the dossier lists (newest first per centre): the first page is read from the
index instead of sorting the centre's dossiers. SQL only (no model state)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_trigram_name_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS dossier_centre_created "
            "ON candidates_dossier (centre_id, created_at DESC, id DESC)",
            "DROP INDEX IF EXISTS dossier_centre_created",
        )
    ]
