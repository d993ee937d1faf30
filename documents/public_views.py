"""The public verification of a certificate or attestation: ``/verifier/<code>/``.

Anyone holding a code sees every field of the register entry (holder, CQPM, blocs, dates,
centre, number, revoked or not), so a forged date cannot pass. Any other input — unknown,
malformed, forged — gets one neutral "inconnu" page, byte for byte the same. Requests are
rate-limited per IP (``settings.VERIFICATION_RATE``).

The page of a known code also takes a PDF (POST, field ``document``) and says whether it is
byte for byte a document issued for that certificate (:mod:`documents.upload_check`): the
file is hashed as it arrives and never stored. That POST changes nothing and answers only
the visitor who sent it, so it needs no CSRF token — and the public pages stay free of
cookies and of anything that depends on the request.

The visitor has no centre: the lookup by code is the one deliberate cross-centre read, done
with ``scopes_disabled()`` and limited to the exact code.
"""

import re

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from centres.scoping import scopes_disabled
from documents.models import CertificateRecord, normalise_verification_code
from documents.throttle import allow
from documents.upload_check import DigestUploadHandler, Result, check, max_bytes

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


UPLOAD_STATUS = {
    Result.MATCH: 200,
    Result.NO_MATCH: 200,
    Result.TOO_BIG: 413,
    Result.NOT_PDF: 400,
    Result.MISSING: 400,
}


@csrf_exempt  # see the module docstring: a read-only comparison, no state, no cookie
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
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
    context = {"record": record, "upload_max_mb": max_bytes() // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        handler = DigestUploadHandler(request, limit=max_bytes())
        request.upload_handlers = [handler]
        request.FILES  # noqa: B018 — parse the body now, through the hashing handler only
        with scopes_disabled():
            result = check(record, handler)
        context["upload_result"] = result
        status = UPLOAD_STATUS[result]
    return _private(render(request, "documents/verify.html", context, status=status))
