"""The holder's follow-up questionnaire (issue 17), public: ``/suivi/<token>/``.

No login: the link's token is the credential (``juries.services.insertion``). An unknown,
used or expired token gets a clear page in French (404, 410, 410). Requests are
rate-limited per IP like the public verification (``documents.throttle``, scope
``insertion``). The pages are not indexed, and send their address (it holds the token) to
no other site: ``Referrer-Policy: same-origin`` — not ``no-referrer``, with which the browser
posts the form with ``Origin: null`` and Django's CSRF check refuses it.
"""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.views import add_domain_error
from documents.throttle import allow
from juries.errors import JuryError
from juries.forms import InsertionSurveyForm
from juries.services.insertion import (
    REFUSALS,
    UNKNOWN,
    answer_survey,
    find_survey,
    refusal,
    refusal_message,
)

REFUSAL_STATUS = {UNKNOWN: 404}


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _refused(request, code):
    return _private(
        render(
            request,
            "juries/insertion/refused.html",
            {"message": refusal_message(code), "code": code},
            status=REFUSAL_STATUS.get(code, 410),
        )
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    if not allow(request, scope="insertion"):
        return _private(render(request, "juries/insertion/throttled.html", status=429))
    found = find_survey(token)
    code = refusal(found)
    if code is not None:
        return _refused(request, code)
    form = InsertionSurveyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            answer_survey(
                token,
                employment_status=form.cleaned_data["employment_status"],
                in_target_trade=form.cleaned_data["in_target_trade"],
            )
            return redirect("insertion:thanks")
        except JuryError as exc:
            if exc.code in REFUSALS:  # answered or expired meanwhile
                return _refused(request, exc.code)
            add_domain_error(form, exc, {"target_trade_required": "in_target_trade"})
    decision = found.decision
    context = {
        "form": form,
        "survey": found,
        "qualification": decision.dossier.referential_version.qualification,
        "centre": found.centre,
    }
    status = 400 if form.is_bound else 200
    return _private(render(request, "juries/insertion/survey.html", context, status=status))


@never_cache
@require_GET
def thanks(request):
    return _private(render(request, "juries/insertion/thanks.html"))
