from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Jurys")

    def ready(self):
        from candidates.sections import register_dossier_section
        from centres.roles import Capability
        from core.home import register_home_section
        from core.navigation import register_nav_item
        from documents.access import register_visibility_rule
        from juries import paperwork
        from juries.dossier_documents import dossier_documents_section
        from juries.home import juror_section, staff_section
        from juries.visibility import juror_documents

        register_nav_item(
            _("Jurys"),
            "juries:session_list",
            Capability.CONVENE_JURIES,
            Capability.DELIBERATE,
            order=40,
        )
        register_nav_item(
            _("Résultats des jurys"), "juries:results", Capability.VIEW_CENTRE, order=45
        )
        register_nav_item(_("Statistiques"), "juries:statistics", Capability.VIEW_CENTRE, order=46)
        register_home_section(juror_section)
        register_home_section(staff_section)
        register_visibility_rule(juror_documents)
        register_dossier_section(dossier_documents_section)
        paperwork.register()
