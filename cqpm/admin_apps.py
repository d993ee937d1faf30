"""The admin application with Parchemin's site (``cqpm.admin_site``) as ``admin.site``:
listed in ``INSTALLED_APPS`` in place of ``django.contrib.admin``."""

from django.contrib.admin.apps import AdminConfig


class ParcheminAdminConfig(AdminConfig):
    default_site = "cqpm.admin_site.ParcheminAdminSite"
