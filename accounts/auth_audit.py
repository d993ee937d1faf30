"""Account events in the audit log: login, failed login, lockout (django-axes), logout.

Each event about a known user is written once in every centre where that user holds an
active role, so each centre administrator sees it in the centre's log
(``centres.audit.record_for_user``). A failed login naming no known account is written
without a centre (visible to superusers in the Django admin). Role grants and withdrawals,
object-permission grants and revocations are written by their services
(``centres.services``, ``centres.permissions``).
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from centres.audit import record_for_user
from centres.models import AuditEntry
from core.http import client_ip

USERNAME_MAX = 150


def _ip(request) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or client_ip(request) or ""


def _known_user(username):
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


def _record_attempt(action: str, username, request) -> None:
    username = (username or "")[:USERNAME_MAX]
    details = {"username": username, "ip": _ip(request)}
    user = _known_user(username)
    if user is not None:
        record_for_user(user, action, after=details)
        return
    AuditEntry.objects.create(
        centre=None,
        actor=None,
        action=action,
        subject_type="centres.user",
        subject_id="",
        after=details,
    )


@receiver(user_logged_in, dispatch_uid="audit_user_logged_in")
def audit_login(sender, request, user, **kwargs):
    record_for_user(user, "auth.login", after={"ip": _ip(request)})


@receiver(user_logged_out, dispatch_uid="audit_user_logged_out")
def audit_logout(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        record_for_user(user, "auth.logout", after={"ip": _ip(request)})


@receiver(user_login_failed, dispatch_uid="audit_user_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    _record_attempt("auth.login_failed", credentials.get("username"), request)


@receiver(user_locked_out, dispatch_uid="audit_user_locked_out")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    _record_attempt("auth.lockout", username, request)
