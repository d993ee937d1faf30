"""The admin application with Parchemin's site (``centres.admin_site``) as ``admin.site``:
listed in ``INSTALLED_APPS`` in place of ``django.contrib.admin``."""

from django.contrib.admin.apps import AdminConfig


class ParcheminAdminConfig(AdminConfig):
    default_site = "centres.admin_site.ParcheminAdminSite"
