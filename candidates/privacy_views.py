"""Personal data pages of the centre administrator: find a candidate, see what is held,
download it (right of access), anonymise once the retention period has passed."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from candidates import privacy
from candidates.errors import DossierError
from candidates.models import Candidate, Dossier
from candidates.selectors import CANDIDATE_NAME_FIELDS
from centres.access import require
from centres.roles import Capability
from core.disposition import name_download
from core.listing import SortColumns, paginate
from core.search import french, text_search

ELIGIBLE_SORT = SortColumns(
    "name", name=(french("birth_name"), french("first_names")), birth_date="birth_date"
)


@require_GET
@login_required
def privacy_index(request):
    actor = request.actor
    require(actor, Capability.MANAGE_PERSONAL_DATA)
    q = request.GET.get("q", "").strip()[:100]
    found = None
    if q:
        found = Candidate.objects.filter(text_search(q, *CANDIDATE_NAME_FIELDS)).order_by(
            french("birth_name"), french("first_names"), "id"
        )[:25]
    eligible = privacy.eligible_candidates(actor.centre)
    eligible, sort = ELIGIBLE_SORT.apply(eligible, request.GET.get("sort"))
    page, query_string = paginate(request, eligible)
    return render(
        request,
        "centres/privacy/index.html",
        {
            "q": q,
            "found": found,
            "page": page,
            "query_string": query_string,
            "sort": sort,
            "centre": actor.centre,
            "cutoff": privacy.retention_cutoff(actor.centre),
        },
    )


@require_GET
@login_required
def privacy_candidate(request, pk):
    candidate = privacy.get_candidate_for_privacy(request.actor, pk)
    dossiers = Dossier.objects.filter(candidate=candidate).select_related(
        "referential_version__qualification"
    )
    return render(
        request,
        "centres/privacy/candidate.html",
        {
            "candidate": candidate,
            "dossiers": dossiers.order_by("created_at", "pk"),
            "eligible": privacy.eligible_candidates(request.actor.centre)
            .filter(pk=candidate.pk)
            .exists(),
            "anonymised": privacy.is_anonymised(candidate),
        },
    )


@require_GET
@login_required
def privacy_export(request, pk):
    candidate = privacy.get_candidate_for_privacy(request.actor, pk)
    document = privacy.export_candidate(request.actor, candidate)
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    name_download(response, f"donnees-personnelles-candidat-{candidate.pk}-{stamp}.json")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def privacy_anonymise(request, pk):
    candidate = privacy.get_candidate_for_privacy(request.actor, pk)
    if request.method == "POST":
        try:
            privacy.anonymise_candidate(candidate, actor=request.actor)
        except DossierError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Les données personnelles du candidat sont anonymisées."))
        return redirect("centres:privacy_candidate", pk=candidate.pk)
    return render(
        request,
        "centres/privacy/anonymise.html",
        {
            "candidate": candidate,
            "eligible": privacy.eligible_candidates(request.actor.centre)
            .filter(pk=candidate.pk)
            .exists(),
            "dossiers": Dossier.objects.filter(candidate=candidate).order_by("created_at", "pk"),
        },
    )
