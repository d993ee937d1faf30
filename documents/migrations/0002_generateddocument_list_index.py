"""Index for the document lists (newest first per centre), added by the performance work:
the first page is read from the index instead of sorting the centre's documents. SQL only
(no model state)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS generateddocument_centre_created "
            "ON documents_generateddocument (centre_id, created_at DESC, id DESC)",
            "DROP INDEX IF EXISTS generateddocument_centre_created",
        )
    ]
