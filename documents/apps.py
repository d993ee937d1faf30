from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from centres.roles import Capability
        from core.home import register_home_section
        from core.navigation import register_nav_item
        from core.privacy import register_anonymiser
        from documents import tasks  # noqa: F401  (registers the render task by its name)
        from documents.builders import CERTIFICATE_KINDS, build_certificate
        from documents.home import failed_documents_section
        from documents.privacy import anonymise_documents
        from documents.services import register_renderer

        for kind in CERTIFICATE_KINDS:
            register_renderer(kind, build_certificate)
        register_nav_item(_("Documents"), "documents:list", Capability.VIEW_CENTRE, order=60)
        register_home_section(failed_documents_section)
        register_anonymiser(anonymise_documents)
