"""API tokens: created against the password (and the second factor), stored hashed, expiring,
revoked when the account's credentials or rights change.

A key is 40 random hexadecimal characters, shown once when it is created; the database keeps
its SHA-256 (``ApiToken.key_hash``) and its first eight characters (``prefix``, so that the
owner recognises it in the list). A token is refused ``API_TOKEN_IDLE_DAYS`` after its last
use and ``API_TOKEN_MAX_AGE_DAYS`` after its creation. Looking a key up is one query (the
token and its user); ``last_used_at`` is written at most once every ``TOUCH_INTERVAL``, so a
busy client does not pay a write per request.

Tokens are deleted (and the deletion audited) by :func:`revoke_user_tokens` when the password
is changed or reset and when the account is deactivated (signal below, whatever the path:
page, admin, ``changepassword``), by a second-factor change (``accounts.twofactor``), by the
end of the user's last role (``centres.services.memberships``), by the API logout and by the
owner on *Mon compte → Jetons d'accès* or ``DELETE /api/v1/auth/tokens/{id}/``.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from centres.audit import SELF, record, record_for_user
from centres.models import ApiToken

KEYWORD = "Token"
TOUCH_INTERVAL = datetime.timedelta(hours=1)


def idle_limit() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_IDLE_DAYS)


def age_limit() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


def expires_at(token: ApiToken) -> datetime.datetime:
    """When the token stops working if it is not used again."""
    return min(token.last_used_at + idle_limit(), token.created_at + age_limit())


def is_expired(token: ApiToken, now=None) -> bool:
    return expires_at(token) <= (now or timezone.now())


def create_token(user, *, name="") -> tuple[ApiToken, str]:
    """A new token for ``user``: the row and the key (the only time the key is known)."""
    key = secrets.token_hex(20)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=ApiToken.hash_key(key),
            prefix=key[:8],
            name=(name or "")[:100],
            created_at=now,
            last_used_at=now,
        )
        record_for_user(user, "auth.api_token", after={"token": token.prefix})
    return token, key


def find_token(key: str) -> ApiToken | None:
    """The live token of ``key`` with its user (one query), or None when the key is
    unknown, expired or its user inactive. Touches ``last_used_at`` now and then."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if is_expired(token, now):
        return None
    if now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user):
    """The user's own tokens, newest first (expired ones included, marked by the caller)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def get_token_for_user(user, pk) -> ApiToken | None:
    """One of ``user``'s own tokens, or None (someone else's token does not exist)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return tokens_of(user).filter(pk=pk).first()


def revoke_token(token: ApiToken, *, actor, reason="") -> None:
    """Delete one token (the owner's choice, or the API logout). Nothing when already gone."""
    with transaction.atomic():
        deleted, _rows = ApiToken.objects.filter(pk=token.pk, user_id=actor.pk).delete()
        if deleted:
            record_for_user(
                actor, "auth.api_token_revoked", after={"token": token.prefix}, reason=reason
            )


def revoke_on_last_role(sender, *, user, actor, centre, **kwargs) -> None:
    """``centres.signals.last_role_ended``: a person without any role keeps no API token."""
    revoke_user_tokens(user, reason="last_role_ended", actor=actor, centre=centre)


def revoke_user_tokens(user, *, reason: str, actor=SELF, centre=None) -> int:
    """Delete every token of ``user``; one audit row saying why (``reason``: a short code
    such as ``password_changed``). ``centre`` writes the row in that centre only (the user
    may hold no role any more). Returns the number deleted."""
    with transaction.atomic():
        prefixes = list(ApiToken.objects.filter(user=user).values_list("prefix", flat=True))
        if not prefixes:
            return 0
        ApiToken.objects.filter(user=user).delete()
        after = {"tokens": prefixes}
        if centre is not None:
            record(
                centre=centre,
                actor=user if actor is SELF else actor,
                action="auth.api_tokens_revoked",
                subject=user,
                after=after,
                reason=reason,
            )
        else:
            record_for_user(
                user, "auth.api_tokens_revoked", actor=actor, after=after, reason=reason
            )
    return len(prefixes)


@receiver(post_save, sender=get_user_model(), dispatch_uid="revoke_tokens_on_user_change")
def _revoke_on_password_or_deactivation(sender, instance, created, **kwargs):
    """``set_password()`` keeps the raw password on the instance until the save that follows
    (a hash upgrade at login does not: Django clears it first), so this catches every
    password change or reset, whatever the page or command."""
    if created:
        return
    if getattr(instance, "_password", None) is not None:
        revoke_user_tokens(instance, reason="password_changed")
    elif not instance.is_active:
        revoke_user_tokens(instance, reason="user_deactivated")


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` against :class:`ApiToken` (hashed, expiring)."""

    keyword = KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("En-tête de jeton mal formé."))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("En-tête de jeton mal formé.")) from None
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Jeton inconnu, révoqué ou expiré."))
        return (token.user, token)

    def authenticate_header(self, request):
        return self.keyword
