from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CqpmConfig(AppConfig):
    name = "cqpm"
    verbose_name = _("Référentiels CQPM")
