from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared kit: no models; the template tags (dates, listing, required_fields), the
    locale formats, and the SQLite side of ``core.search``."""

    name = "core"
    verbose_name = _("Socle commun")

    def ready(self):
        from core.search import on_connection_created

        # SQLite gets the search function and the French collation of core.search
        connection_created.connect(on_connection_created, dispatch_uid="core-search-sqlite")
