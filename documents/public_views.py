"""The public verification of a certificate or attestation: ``/verifier/<code>/``.

Anyone holding a code sees every field of the register entry (holder, CQPM, blocs, dates,
centre, number, revoked or not), so a forged date cannot pass. Any other input — unknown,
malformed, forged — gets one neutral "inconnu" page, byte for byte the same. Requests are
rate-limited per IP (``settings.VERIFICATION_RATE``).

The visitor has no centre: the lookup by code is the one deliberate cross-centre read, done
with ``scopes_disabled()`` and limited to the exact code.
"""

import re

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from centres.scoping import scopes_disabled

from .models import CertificateRecord, normalise_verification_code
from .throttle import allow

CODE_CHARS = re.compile(r"[^0-9A-Za-z-]")


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _throttled(request):
    return _private(render(request, "documents/verify_throttled.html", status=429))


@never_cache
@require_GET
def verify_form(request):
    if not allow(request):
        return _throttled(request)
    raw = CODE_CHARS.sub("", request.GET.get("code", ""))[:32]
    if raw:
        return redirect(reverse("verification:verify", kwargs={"code": raw}))
    return _private(render(request, "documents/verify_form.html"))


@never_cache
@require_GET
def verify(request, code):
    if not allow(request):
        return _throttled(request)
    normalised = normalise_verification_code(code)
    record = None
    if normalised is not None:
        with scopes_disabled():
            record = (
                CertificateRecord.objects.select_related("centre")
                .filter(verification_code=normalised)
                .first()
            )
    if record is None:
        return _private(render(request, "documents/verify_unknown.html", status=404))
    return _private(render(request, "documents/verify.html", {"record": record}))
