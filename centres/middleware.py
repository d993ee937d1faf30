"""Resolve the acting user's active centre and open its scope around the request.

Browser sessions keep the active centre in the session; API clients authenticated by token
are resolved before it (``accounts.middleware.ApiTokenMiddleware`` sets ``request.api_token``:
DRF authenticates later, inside the view, too late to open the scope) and may choose their
centre with the ``X-Centre`` header.
"""

from centres.access import ACTIVE_CENTRE_SESSION_KEY, Actor, build_actor
from centres.scoping import centre_scope


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ActiveCentreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        requested = None
        if user.is_authenticated:
            requested = request.session.get(ACTIVE_CENTRE_SESSION_KEY)
        else:
            token = getattr(request, "api_token", None)
            if token is not None:
                user = token.user
        header = request.META.get("HTTP_X_CENTRE")
        header_centre = _int_or_none(header)
        if header_centre is not None:
            requested = header_centre
        actor = build_actor(user, _int_or_none(requested))
        if header is not None and (actor.centre is None or actor.centre.pk != header_centre):
            # An API client that names a centre it does not belong to gets no centre at all
            # (every centre endpoint answers 403) rather than silently another one.
            actor = Actor(user=user, centres=actor.centres)
        request.actor = actor
        request.centre = actor.centre
        with centre_scope(actor.centre):
            return self.get_response(request)
