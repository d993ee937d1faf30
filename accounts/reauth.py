"""Re-authentication at the moment of an act that engages the user (signing a PV).

Being logged in is not enough to sign: the user types their password again and, when they
have an authenticator app (two-factor on), its current code. A recovery code is refused
here, as when renewing the recovery codes: a leaked sheet of codes must not sign.

Each wrong attempt is audited (``auth.reauth_failure``) and counted per user in the cache;
after ``REAUTH_FAILURE_LIMIT`` failures within ``REAUTH_WINDOW_MINUTES``, attempts are
refused until the window passes (``auth.reauth_throttled``). django-otp's own throttling
of the device (a delay doubling after each wrong code) applies too. The check never opens a
transaction of its own around the failure rows, so they stay when the caller's work is
refused.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import normalise_code
from centres.audit import record_for_user
from centres.errors import CentreError

PASSWORD = "password"
PASSWORD_AND_TOTP = "password+totp"


def _key(user) -> str:
    return f"reauth-failures:{user.pk}"


def _limit() -> int:
    return int(getattr(settings, "REAUTH_FAILURE_LIMIT", 5))


def _window_seconds() -> int:
    return int(getattr(settings, "REAUTH_WINDOW_MINUTES", 15)) * 60


def failures(user) -> int:
    return int(cache.get(_key(user)) or 0)


def _failed(user, purpose: str, what: str) -> None:
    key = _key(user)
    if not cache.add(key, 1, _window_seconds()):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, _window_seconds())
    record_for_user(user, "auth.reauth_failure", after={"factor": what}, reason=purpose)


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, when two-factor is on for them."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def confirm_identity(user, *, password: str, otp: str = "", purpose: str) -> str:
    """Check ``password`` (and ``otp`` when the user has an authenticator app); return how
    the user proved it (``password`` or ``password+totp``). Raises :class:`CentreError`
    with a French message: ``reauth_throttled``, ``reauth_password``, ``reauth_otp``."""
    if failures(user) >= _limit():
        record_for_user(user, "auth.reauth_throttled", reason=purpose)
        raise CentreError(
            _(
                "Trop d'essais erronés : la signature est bloquée pendant %(minutes)s minutes. "
                "Réessayez plus tard."
            )
            % {"minutes": _window_seconds() // 60},
            code="reauth_throttled",
        )
    if not password or not user.check_password(password):
        _failed(user, purpose, "password")
        raise CentreError(
            _("Mot de passe incorrect : saisissez le mot de passe de votre compte pour signer."),
            code="reauth_password",
        )
    device = totp_device(user)
    if device is None:
        cache.delete(_key(user))
        return PASSWORD
    token = normalise_code(otp)
    if not token:
        raise CentreError(
            _(
                "La double authentification est activée sur votre compte : saisissez aussi le "
                "code à 6 chiffres affiché par votre application."
            ),
            code="reauth_otp",
        )
    allowed, _details = device.verify_is_allowed()
    if not allowed or not device.verify_token(token):
        _failed(user, purpose, "totp")
        raise CentreError(
            _(
                "Code de double authentification incorrect ou expiré : saisissez le code à 6 "
                "chiffres affiché en ce moment par votre application (un code de secours ne "
                "convient pas ici)."
            ),
            code="reauth_otp",
        )
    cache.delete(_key(user))
    return PASSWORD_AND_TOTP
