from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = _("Centres et comptes")

    def ready(self):
        from centres.home_sections import centre_admin_section
        from centres.roles import Capability
        from core.home import register_home_section
        from core.navigation import register_nav_item

        register_nav_item(
            _("Entreprises"), "centres:companies", Capability.MANAGE_COMPANIES, order=80
        )
        register_nav_item(_("Utilisateurs"), "centres:users", Capability.MANAGE_USERS, order=90)
        register_nav_item(_("Réglages"), "centres:settings", Capability.MANAGE_SETTINGS, order=95)
        register_nav_item(
            _("Journal d'audit"), "centres:audit_log", Capability.VIEW_AUDIT_LOG, order=97
        )
        register_home_section(centre_admin_section)
