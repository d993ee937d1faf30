from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Évaluations")

    def ready(self):
        from candidates.sections import register_dossier_section
        from centres.roles import Capability
        from core.home import register_home_section
        from core.navigation import register_nav_item
        from evaluations import home, pdf

        register_nav_item(
            _("Évaluations"),
            "evaluations:session_list",
            Capability.SCHEDULE_EVALUATIONS,
            Capability.EVALUATE,
            order=30,
        )
        register_nav_item(
            _("Avis des entreprises"),
            "evaluations:opinion_list",
            Capability.SCHEDULE_EVALUATIONS,
            Capability.GIVE_COMPANY_OPINION,
            order=31,
        )
        register_home_section(home.assessor_section)
        register_home_section(home.company_section)
        register_home_section(home.staff_section)
        register_dossier_section(home.dossier_section)
        pdf.register()
