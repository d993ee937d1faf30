from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidats et dossiers")

    def ready(self):
        from candidates.home import dossiers_section
        from centres.roles import Capability
        from core.home import register_home_section
        from core.navigation import register_nav_item

        register_nav_item(_("Candidats"), "candidates:list", Capability.VIEW_CENTRE, order=20)
        register_nav_item(
            _("Dossiers"),
            "candidates:dossier_list",
            Capability.VIEW_CENTRE,
            Capability.GIVE_COMPANY_OPINION,
            order=21,
        )
        register_home_section(dossiers_section)
