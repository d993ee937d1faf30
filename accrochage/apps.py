from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccrochageConfig(AppConfig):
    name = "accrochage"
    verbose_name = _("Accrochage")

    def ready(self):
        # registers the build task with Celery: the services find it by name
        from accrochage import tasks  # noqa: F401
        from accrochage.home import national_section, staff_section
        from accrochage.privacy import anonymise_passages
        from centres.roles import Capability
        from core.home import register_home_section
        from core.navigation import register_nav_item
        from core.privacy import register_anonymiser

        register_nav_item(
            _("Accrochage"), "accrochage:holders", Capability.MANAGE_DOCUMENTS, order=47
        )
        register_home_section(staff_section)
        register_home_section(national_section)
        register_anonymiser(anonymise_passages)
