"""Home page section: documents whose production failed, for those who can retry them."""

from django.utils.translation import gettext as _

from centres.roles import Capability
from documents.access import documents_for
from documents.models import DocumentStatus


def failed_documents_section(request):
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None or not actor.can(Capability.MANAGE_DOCUMENTS):
        return None
    failed = documents_for(actor).filter(status=DocumentStatus.FAILED).count()
    if not failed:
        return None
    return {
        "title": _("Documents en échec"),
        "template": "documents/_home_failed.html",
        "context": {"failed": failed},
    }
