"""Referential pages: catalogue of CQPMs, referential detail, criteria search, print view.

The referential is national, public data: every page is open to anonymous visitors; drafts
are shown to national administrators only (``cqpm.selectors``). Each page costs a constant
number of queries whatever the size of the referential (prefetching).
"""

from django.http import Http404
from django.shortcuts import render

from core.listing import paginate
from core.search import french, text_search
from core.text import fold
from cqpm.models import Competence, Criterion, ReferentialVersion
from cqpm.selectors import (
    criteria_for,
    get_version_for_user,
    qualifications_for,
    search_filter,
    versions_for,
)

CATALOGUE_PAGE_SIZE = 25
CRITERIA_PAGE_SIZE = 25


def _query_string(request, **overrides) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in overrides.items():
        params[key] = value
    return params.urlencode()


def catalogue(request):
    query = request.GET.get("q", "").strip()
    qualifications = qualifications_for(request.user).order_by(french("title"), "pk")
    if query:
        qualifications = qualifications.filter(
            text_search(query, "title", "code", "rncp_code", "slug")
        )
    page, _query = paginate(request, qualifications, per_page=CATALOGUE_PAGE_SIZE)
    for qualification in page.object_list:
        published = [
            v
            for v in qualification.visible_versions
            if v.status == ReferentialVersion.Status.PUBLISHED
        ]
        qualification.latest_published = published[0] if published else None
    return render(
        request,
        "cqpm/catalogue.html",
        {"page": page, "query": query, "query_string": _query_string(request)},
    )


def group_criteria(competence: Competence) -> list[dict]:
    """The competence's criteria under their 4 headings, in the referential's order."""
    by_category: dict[str, list] = {value: [] for value in Criterion.Category.values}
    for criterion in competence.criteria.all():
        by_category[criterion.category].append(criterion)
    return [
        {"category": value, "label": Criterion.Category(value).label, "criteria": items}
        for value, items in by_category.items()
        if items
    ]


def _tree_context(request, version: ReferentialVersion) -> dict:
    for bloc in version.blocs.all():
        for competence in bloc.competences.all():
            competence.criteria_groups = group_criteria(competence)
    return {
        "version": version,
        "qualification": version.qualification,
        "blocs": version.blocs.all(),
        "modalities": version.modalities.all(),
    }


def referential(request, slug, number=None):
    """A referential version in full: ``number`` given, that one; else the latest published."""
    version = get_version_for_user(request.user, slug, number)
    context = _tree_context(request, version)
    context["other_versions"] = (
        versions_for(request.user).filter(qualification=version.qualification).order_by("-number")
    )
    return render(request, "cqpm/referential.html", context)


def print_view(request, slug, number):
    """The whole referential laid out for A4 paper (print CSS)."""
    version = get_version_for_user(request.user, slug, number)
    return render(request, "cqpm/print.html", _tree_context(request, version))


def criteria_search(request, slug, number):
    """Search the criteria of one version: words of ``q`` (accents and case ignored),
    filters by heading (``category``) and competence (``competence`` = code)."""
    version = (
        versions_for(request.user)
        .select_related("qualification")
        .filter(qualification__slug=slug, number=number)
        .first()
    )
    if version is None:
        raise Http404
    competences = list(version.competences.order_by("order", "number"))
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    if category not in Criterion.Category.values:
        category = ""
    competence = request.GET.get("competence", "")
    if competence not in {c.code for c in competences}:
        competence = ""
    criteria = (
        criteria_for(request.user)
        .filter(competence__version=version)
        .select_related("competence")
        .order_by("competence__order", "competence__number", "order")
    )
    if query:
        criteria = criteria.filter(search_filter(fold(query)))
    if category:
        criteria = criteria.filter(category=category)
    if competence:
        criteria = criteria.filter(competence__code=competence)
    page, _query = paginate(request, criteria, per_page=CRITERIA_PAGE_SIZE)
    return render(
        request,
        "cqpm/criteria_search.html",
        {
            "version": version,
            "qualification": version.qualification,
            "competences": competences,
            "categories": Criterion.Category.choices,
            "query": query,
            "category": category,
            "competence": competence,
            "page": page,
            "query_string": _query_string(request),
        },
    )
