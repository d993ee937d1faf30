"""Enforce the second factor: until a user who must use one has confirmed this login, every
page but the second-factor pages, logout, the language switch and static files redirects to
the code page (or the set-up page when no app is enrolled yet); the API answers 403.

API clients authenticated by token are not checked here: a token is only handed out to
these roles against a valid code (``POST /api/v1/auth/token/`` with ``otp``), so holding
one already proves the second factor.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import twofactor
from accounts.tokens import KEYWORD, find_token

ALLOWED_URL_NAMES = frozenset(
    {
        "two_factor_verify",
        "two_factor_setup",
        "two_factor_recovery_codes",
        "logout",
        "login",
        "set_language",
        "healthz",
    }
)


def _is_exempt(request) -> bool:
    path = request.path_info
    if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 reveals nothing
    return match.url_name in ALLOWED_URL_NAMES


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if twofactor.is_enforced() and not _is_exempt(request):
            user = request.user
            if twofactor.must_verify(user):
                return self._refuse(request, user)
        return self.get_response(request)

    def _refuse(self, request, user):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "otp_required",
                    "detail": _("Confirmez d'abord votre connexion avec votre code."),
                },
                status=403,
            )
        name = "two_factor_verify" if twofactor.has_confirmed_device(user) else "two_factor_setup"
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


class ApiTokenMiddleware:
    """``Authorization: Token …`` on a request without a session: the token found (or none)
    as ``request.api_token``, before ``centres.middleware.ActiveCentreMiddleware`` resolves
    the centre from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.api_token = None
        if not request.user.is_authenticated:
            parts = request.META.get("HTTP_AUTHORIZATION", "").split()
            if len(parts) == 2 and parts[0] == KEYWORD:
                request.api_token = find_token(parts[1])
        return self.get_response(request)
