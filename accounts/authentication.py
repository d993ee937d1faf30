"""API authentication that does not look the same token up twice.

``centres.middleware.ActiveCentreMiddleware`` resolves an ``Authorization: Token …`` header
before the view runs (it needs the user to open the centre scope); the token authentication
would then read the same token row again, inside the view: one query and an ORM round trip
per API request, for nothing. Tokens themselves (hashed, expiring, revocable) are
``accounts.tokens``.
"""

from accounts.tokens import ApiTokenAuthentication


class MiddlewareTokenAuthentication(ApiTokenAuthentication):
    """The token authentication, reusing the user and token the middleware resolved from
    this very header.

    The middleware reads the token only when no session user is logged in, and keeps
    ``AnonymousUser`` when the token is unknown, expired or its user inactive: an
    authenticated actor beside an anonymous session user is therefore this token's user.
    Any other case (a session user, another spelling of the keyword, a request that did not
    go through the middleware) is the full lookup, with its errors. ``request.auth`` is the
    ``ApiToken`` row (the API logout deletes it)."""

    def authenticate(self, request):
        django_request = request._request
        actor = getattr(django_request, "actor", None)
        token = getattr(django_request, "api_token", None)
        if (
            actor is not None
            and token is not None
            and getattr(actor.user, "is_authenticated", False)
            and not django_request.user.is_authenticated
            and request.META.get("HTTP_AUTHORIZATION", "").startswith(f"{self.keyword} ")
        ):
            return (actor.user, token)
        return super().authenticate(request)
