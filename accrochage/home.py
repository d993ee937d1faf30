"""The accrochage's block on the centre staff's home page: holders past the 3-month
deadline of their declaration."""

from django.utils.translation import gettext as _

from accrochage.models import CertifierAccount
from accrochage.selectors import holders_to_declare
from centres.roles import Capability
from cqpm.selectors import is_national_admin


def staff_section(request):
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None or not actor.can(Capability.MANAGE_DOCUMENTS):
        return None
    rows = holders_to_declare(actor.centre)
    counts = {
        "overdue": rows.filter(overdue=True).count(),
        "waiting": rows.filter(overdue=False).count(),
    }
    if not counts["overdue"] and not counts["waiting"]:
        return None
    return {
        "title": _("Accrochage à la Caisse des Dépôts"),
        "template": "accrochage/home_staff.html",
        "context": counts,
    }


def national_section(request):
    """The national administrator: the certifier account every centre's file carries."""
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is not None or not is_national_admin(request.user):
        return None
    return {
        "title": _("Accrochage : compte certificateur"),
        "template": "accrochage/home_national.html",
        "context": {"account": CertifierAccount.objects.filter(key="national").first()},
    }
