"""The PV signature page: a member present reads the PV and signs it by typing their
password again (and their authenticator code when two-factor is on)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.reauth import totp_device
from centres.access import require
from centres.roles import Capability
from core.http import client_ip
from cqpm.mentions import WHO_FILLS_IN, blocking_mentions
from juries import services
from juries.access import get_session_for_user, member_for
from juries.forms import SignMinutesForm
from juries.models import Attendance, MinutesSignature
from juries.services.signing import minutes_to_sign

PASSWORD_CODES = {"reauth_password", "reauth_throttled"}


@login_required
def minutes_sign(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk)
    require(actor, Capability.DELIBERATE)
    seat = member_for(actor, session)
    if seat is None:
        raise PermissionDenied
    two_factor = totp_device(actor.user) is not None
    form = SignMinutesForm(request.POST or None, two_factor=two_factor)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_minutes(
                session,
                actor=actor,
                password=form.cleaned_data["password"],
                otp=form.cleaned_data.get("otp", ""),
                document_sha256=form.cleaned_data["document_sha256"],
                ip=client_ip(request),
            )
        except services.JuryError as exc:
            field = "otp" if exc.code == "reauth_otp" and "otp" in form.fields else None
            if exc.code in PASSWORD_CODES:
                field = "password"
            form.add_error(field, str(exc.message))
        else:
            messages.success(request, _("Vous avez signé le procès-verbal."))
            return redirect("juries:session_detail", pk=session.pk)
    minutes = minutes_to_sign(session) if session.is_closed else None
    signatures = list(
        MinutesSignature.objects.filter(session=session).select_related("member__user")
    )
    context = {
        "session": session,
        "seat": seat,
        "form": form,
        "minutes": minutes,
        # The checksum of the PV shown now (not the one posted): after a refusal because the
        # PV changed, the page offers the current version.
        "digest": minutes.sha256 if minutes is not None and minutes.is_ready else "",
        "signature": next((s for s in signatures if s.member_id == seat.pk), None),
        "signatures": signatures,
        "present": session.members.filter(attendance=Attendance.PRESENT).count(),
        "missing_mentions": blocking_mentions(session.qualification),
        "who_fills_in": WHO_FILLS_IN,
        "two_factor": two_factor,
    }
    return render(request, "juries/minutes_sign.html", context)
