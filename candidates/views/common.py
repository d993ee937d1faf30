from django.db.models import Q

from candidates.forms import ListFilterForm
from candidates.selectors import CANDIDATE_NAME_FIELDS
from core.search import text_search


def filter_dossier_fields(request, companies, qs, *, prefix=""):
    """Search and filters shared by the candidate and dossier lists. ``prefix`` is the path
    from the listed model to the dossier ("dossiers__" for candidates, "" for dossiers)."""
    form = ListFilterForm(request.GET or None, companies=companies)
    if not form.is_valid():
        return form, qs, False
    data = form.cleaned_data
    if prefix == "dossiers__":
        return form, _filter_candidates(qs, data), False
    joined = False
    if data.get("q"):
        from candidates.models import Candidate, Dossier

        for term in data["q"].split():
            # the reference printed on every letter ("D-000079") names one dossier
            pk = Dossier.pk_from_reference(term)
            if pk is not None:
                qs = qs.filter(pk=pk)
                continue
            # the names through a subquery on the (centre-scoped) candidates: the planner
            # then reads the centre's candidates, not the whole national table
            named = Candidate.objects.filter(text_search(term, *CANDIDATE_NAME_FIELDS))
            qs = qs.filter(
                Q(candidate_id__in=named.values("id")) | text_search(term, "company__name")
            )
    if data.get("status"):
        qs = qs.filter(**{f"{prefix}status": data["status"]})
        joined = bool(prefix)
    if data.get("route"):
        qs = qs.filter(**{f"{prefix}access_route": data["route"]})
        joined = bool(prefix)
    if data.get("qualification"):
        qs = qs.filter(**{f"{prefix}referential_version__qualification": data["qualification"]})
        joined = bool(prefix)
    if data.get("company"):
        qs = qs.filter(**{f"{prefix}company": data["company"]})
        joined = bool(prefix)
    return form, qs, joined


def _filter_candidates(qs, data):
    """The candidate list's filters without joining the dossiers (no DISTINCT over the
    centre's candidates to count): dossier criteria are ``id IN (subquery)``, and all of
    them must hold for the same dossier."""
    from candidates.models import Dossier

    for term in (data.get("q") or "").split():
        pk = Dossier.pk_from_reference(term)
        if pk is not None:
            qs = qs.filter(pk__in=Dossier.objects.filter(pk=pk).values("candidate_id"))
            continue
        employed = Dossier.objects.filter(text_search(term, "company__name"))
        qs = qs.filter(
            text_search(term, *CANDIDATE_NAME_FIELDS) | Q(pk__in=employed.values("candidate_id"))
        )
    fields = {
        "status": "status",
        "route": "access_route",
        "qualification": "referential_version__qualification",
        "company": "company",
    }
    wanted = {lookup: data[key] for key, lookup in fields.items() if data.get(key)}
    if wanted:
        qs = qs.filter(pk__in=Dossier.objects.filter(**wanted).values("candidate_id"))
    return qs
