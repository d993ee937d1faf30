"""Two-factor authentication (django-otp): who must use it, and the device services.

Centre administrators, chargés de certification and jurors (any active membership), and
Django admin-site users, must confirm their password login with a TOTP code from an
authenticator app, or with one of ten single-use recovery codes. ``TWO_FACTOR_ENFORCED``
(default: on whenever DEBUG is off) switches the requirement on; the demo (DEBUG on) runs
without it so the shared demo password keeps working.

Assessors and company representatives are not required to (they may still enrol): their
access is limited to the objects they are assigned, and many log in from shared shop-floor
tablets where an authenticator app is not at hand.
"""

import datetime
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tokens import revoke_user_tokens
from centres.audit import record_for_user
from centres.errors import CentreError
from centres.models import Membership
from centres.roles import Role

TWO_FACTOR_ROLES = frozenset({Role.CENTRE_ADMIN, Role.STAFF, Role.JUROR})
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "application"
RECOVERY_DEVICE_NAME = "codes de secours"
SETUP_SESSION_KEY = "twofactor_setup_device"


def is_enforced() -> bool:
    return bool(getattr(settings, "TWO_FACTOR_ENFORCED", False))


def requires_two_factor(user) -> bool:
    """Whether this user must confirm each login with a second factor (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.all_centres.filter(
        user=user, is_active=True, role__in=TWO_FACTOR_ROLES
    ).exists()


def must_verify(user) -> bool:
    """True when the requirement applies now and this session is not verified yet."""
    if not is_enforced() or not getattr(user, "is_authenticated", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return requires_two_factor(user)


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def setup_minutes() -> int:
    return int(getattr(settings, "TWO_FACTOR_SETUP_MINUTES", 10))


def start_enrolment(request, password: str) -> TOTPDevice | None:
    """Begin setting up an authenticator app, after a fresh check of the password (through
    ``authenticate``: failures count towards the lockout). Every device of the user still
    being set up, in this session or another, is discarded; the new secret belongs to this
    session only (its id is kept in the session) and expires after
    ``TWO_FACTOR_SETUP_MINUTES``. Returns the device, whose secret the caller shows once."""
    user = request.user
    checked = authenticate(request, username=user.get_username(), password=password or "")
    if checked is None or checked.pk != user.pk:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        record_for_user(user, "auth.otp_setup_started", after={"device": device.pk})
    request.session[SETUP_SESSION_KEY] = device.pk
    return device


def session_pending_device(request) -> TOTPDevice | None:
    """The device this session is setting up, unless it expired or another session started
    a set-up since (which discarded it)."""
    pk = request.session.get(SETUP_SESSION_KEY)
    if pk is None:
        return None
    device = TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()
    limit = datetime.timedelta(minutes=setup_minutes())
    if device is None or device.created_at is None or device.created_at + limit <= timezone.now():
        request.session.pop(SETUP_SESSION_KEY, None)
        if device is not None:
            device.delete()
        return None
    return device


def manual_key(device: TOTPDevice) -> str:
    """The base32 secret, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (no inline style: CSP-clean)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, title="QR code", omitsize=False
    )


def confirm_device(request, token: str) -> list[str] | None:
    """Confirm the device this session is setting up with a first code; on success, replace
    the other devices and the recovery codes (ten new ones), revoke the API tokens, audit,
    mail the user, mark the session verified and return the codes (shown once)."""
    user = request.user
    pending = session_pending_device(request)
    if pending is None:
        return None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=pending.pk, user=user, confirmed=False)
            .first()
        )
        if device is None or not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        record_for_user(user, "auth.otp_device_confirmed", after={"device": device.name})
        revoke_user_tokens(user, reason="two_factor_enrolled")
        notify_change(user, "enrolled")
    request.session.pop(SETUP_SESSION_KEY, None)
    otp_login(request, device)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def regenerate_recovery_codes(*, actor, code: str) -> list[str]:
    """Replace the acting user's recovery codes with ten new ones (returned, shown once).

    Confirmed by a current code of the authenticator app: a recovery code is refused here,
    so a leaked sheet of codes cannot renew itself. The app's throttling (django-otp: a
    delay doubling after each wrong code) applies as on the login code page. A wrong code
    changes nothing and is logged as ``auth.otp_failure``. Raises :class:`CentreError`."""
    token = normalise_code(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=actor, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CentreError(
                _("Activez d'abord la double authentification avec une application."),
                code="otp_no_device",
            )
        if not device.verify_is_allowed()[0]:
            raise CentreError(
                _("Trop de codes erronés : patientez quelques secondes avant de réessayer."),
                code="otp_throttled",
            )
        if token and device.verify_token(token):
            codes = _new_recovery_codes(actor)
            record_for_user(actor, "auth.recovery_codes_regenerated", after={"codes": len(codes)})
            revoke_user_tokens(actor, reason="recovery_codes_regenerated")
            notify_change(actor, "recovery_codes")
            return codes
    # Outside the transaction: the throttling counter and the failure row must stay.
    record_for_user(actor, "auth.otp_failure", reason="recovery codes")
    raise CentreError(
        _(
            "Code incorrect ou déjà utilisé. Saisissez le code à 6 chiffres affiché en ce "
            "moment par votre application (un code de secours ne convient pas ici)."
        ),
        code="otp_invalid",
    )


def normalise_code(raw: str) -> str:
    return "".join((raw or "").split()).lower()


def verify_code(request, token: str):
    """Check a TOTP code or a recovery code (consumed) against the user's confirmed devices;
    mark the session verified and return the device, or None."""
    user = request.user
    token = normalise_code(token)
    if not token:
        return None
    matched = None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                matched = device
                break
    if matched is None:
        record_for_user(user, "auth.otp_failure")
        return None
    if isinstance(matched, StaticDevice):
        left = StaticToken.objects.filter(device=matched).count()
        record_for_user(user, "auth.recovery_code_used", after={"codes_left": left})
    else:
        record_for_user(user, "auth.otp_verified")
    otp_login(request, matched)
    return matched


def check_api_code(user, token: str) -> bool:
    """The ``otp`` of a token request (TOTP or recovery code)."""
    token = normalise_code(token)
    if not token or not user_has_device(user):
        return False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return True
    return False


def notify_change(user, change: str) -> None:
    """Mail the user, after the commit, that their second factor changed (``enrolled``,
    ``recovery_codes``, ``disabled``): if it was not them, they know at once."""
    if not user.email:
        return
    context = {"user": user, "change": change, "site_url": settings.SITE_URL}
    subject = render_to_string("centres/email/two_factor_changed_subject.txt", context).strip()
    body = render_to_string("centres/email/two_factor_changed.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="two_factor_device_removed")
def _audit_device_removed(sender, instance, origin=None, **kwargs):
    """An app removed without another confirmed one left (a superuser resetting a user who
    lost their phone, in the admin) switches the second factor off: audited, mailed, and the
    tokens go. A replacement (``confirm_device``), a set-up discarded and the user's own
    deletion are not that."""
    if not instance.confirmed:
        return
    user_model = type(instance.user) if instance.user_id else None
    if user_model is not None and isinstance(origin, user_model):
        return
    if TOTPDevice.objects.filter(user_id=instance.user_id, confirmed=True).exists():
        return
    user = instance.user
    record_for_user(user, "auth.otp_device_removed", actor=None, after={"device": instance.name})
    revoke_user_tokens(user, reason="two_factor_disabled")
    notify_change(user, "disabled")
