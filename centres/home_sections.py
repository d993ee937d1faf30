"""The tenancy app's section of the home page: a centre administrator's overview."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.access import invitations_for, memberships_for
from centres.roles import Capability


def centre_admin_section(request):
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can(Capability.MANAGE_USERS):
        return None
    counts = memberships_for(actor).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    pending = invitations_for(actor).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return {
        "title": _("Administration du centre"),
        "template": "centres/home_admin.html",
        "context": {**counts, "pending": pending.count()},
    }
