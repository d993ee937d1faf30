"""API authentication that does not look the same token up twice.

``centres.middleware.ActiveCentreMiddleware`` resolves an ``Authorization: Token …`` header
before the view runs (it needs the user to open the centre scope); DRF's
``TokenAuthentication`` then read the same token row again, inside the view: one query and
an ORM round trip per API request, for nothing.
"""

from rest_framework.authentication import TokenAuthentication


class MiddlewareTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, reusing the user the middleware resolved from this very
    header.

    The middleware reads the token only when no session user is logged in, and keeps
    ``AnonymousUser`` when the token is unknown or its user inactive: an authenticated actor
    beside an anonymous session user is therefore this token's user. Any other case (a
    session user, another spelling of the keyword, a request that did not go through the
    middleware) is DRF's own lookup, with its errors. ``request.auth`` is ``None`` instead
    of the ``Token`` row when reused (nothing reads it)."""

    def authenticate(self, request):
        django_request = request._request
        actor = getattr(django_request, "actor", None)
        if (
            actor is not None
            and getattr(actor.user, "is_authenticated", False)
            and not django_request.user.is_authenticated
            and request.META.get("HTTP_AUTHORIZATION", "").startswith(f"{self.keyword} ")
        ):
            return (actor.user, None)
        return super().authenticate(request)
