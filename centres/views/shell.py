"""Home page, health check and centre switching."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from centres.access import ACTIVE_CENTRE_SESSION_KEY
from centres.roles import Role
from core.home import home_sections

logger = logging.getLogger(__name__)


@login_required
def home(request):
    roles = [Role(role).label for role in sorted(request.actor.roles)]
    return render(
        request,
        "centres/home.html",
        {"sections": home_sections(request), "actor_roles_display": roles},
    )


@require_POST
@login_required
def switch_centre(request):
    if not request.actor.centres:
        raise PermissionDenied
    try:
        centre_id = int(request.POST.get("centre", ""))
    except ValueError:
        centre_id = None
    if centre_id in {c.pk for c in request.actor.centres}:
        request.session[ACTIVE_CENTRE_SESSION_KEY] = centre_id
    target = request.POST.get("next") or "home"
    if target != "home" and not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)
