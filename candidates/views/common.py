from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q

from ..forms import ListFilterForm

PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def domain_error_message(request, error):
    messages.error(request, str(error.message))


def query_string_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def filter_dossier_fields(request, companies, qs, *, prefix=""):
    """Search and filters shared by the candidate and dossier lists. ``prefix`` is the path
    from the listed model to the dossier ("dossiers__" for candidates, "" for dossiers)."""
    form = ListFilterForm(request.GET or None, companies=companies)
    if not form.is_valid():
        return form, qs, False
    data = form.cleaned_data
    joined = False
    if data.get("q"):
        cand = "" if prefix else "candidate__"
        for term in data["q"].split():
            qs = qs.filter(
                Q(**{f"{cand}birth_name__icontains": term})
                | Q(**{f"{cand}usage_name__icontains": term})
                | Q(**{f"{cand}first_names__icontains": term})
                | Q(**{f"{prefix}company__name__icontains": term})
            )
        joined = bool(prefix)
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
