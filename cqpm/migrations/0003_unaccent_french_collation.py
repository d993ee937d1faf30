"""The database side of ``core.search`` on PostgreSQL: the ``unaccent`` extension (accent-free
search) and the ``french`` ICU collation (names sorted the French way). Both operations do
nothing on SQLite, where ``core.search`` registers the same function and collation on each
connection."""

from django.contrib.postgres.operations import CreateCollation, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cqpm", "0002_criterion_search_text"),
    ]

    operations = [
        UnaccentExtension(),
        CreateCollation("french", provider="icu", locale="fr"),
    ]
