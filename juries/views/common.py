"""Small helpers shared by the jury pages."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from centres.roles import Capability
from juries.access import member_for


def presides(actor, session) -> bool:
    """Centre staff, or the session's president."""
    if actor.can(Capability.CONVENE_JURIES):
        return True
    seat = member_for(actor, session)
    return bool(seat and seat.is_president)


def back(request, default_name, **kwargs):
    """Redirect to the page the form came from (same site only) or a default page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default_name, **kwargs)
