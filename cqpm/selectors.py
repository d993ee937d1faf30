"""Reads of the referential: who sees which versions, and the prefetched version tree.

The referential is national, public data: everyone (anonymous included) sees published and
archived versions; drafts are work in progress that only national administrators see.
"""

from django.db.models import Prefetch, Q
from django.http import Http404

from .models import Bloc, Competence, Criterion, Qualification, ReferentialVersion

PUBLIC_STATUSES = (ReferentialVersion.Status.PUBLISHED, ReferentialVersion.Status.ARCHIVED)


def is_national_admin(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "is_national_admin", False))
    )


def versions_for(user):
    """The referential versions ``user`` may read."""
    qs = ReferentialVersion.objects.all()
    if is_national_admin(user):
        return qs
    return qs.filter(status__in=PUBLIC_STATUSES)


def criteria_for(user):
    """The criteria of the versions ``user`` may read."""
    qs = Criterion.objects.all()
    if is_national_admin(user):
        return qs
    return qs.filter(competence__version__status__in=PUBLIC_STATUSES)


def qualifications_for(user):
    """Every CQPM, each with the versions ``user`` may read (newest first) prefetched."""
    return Qualification.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=versions_for(user).order_by("-number"),
            to_attr="visible_versions",
        )
    )


def with_tree(queryset):
    """Prefetch the whole content of the versions: 8 queries, whatever their size."""
    competences = Competence.objects.order_by("order", "number").prefetch_related(
        "conditions", "criteria", "expected_results", "knowledge"
    )
    blocs = Bloc.objects.order_by("order").prefetch_related(
        Prefetch("competences", queryset=competences)
    )
    return queryset.select_related("qualification").prefetch_related(
        "modalities", Prefetch("blocs", queryset=blocs)
    )


def get_version_for_user(user, slug: str, number: int | None = None) -> ReferentialVersion:
    """A version with its tree: ``number`` given, that version; otherwise the latest published
    one. 404 when missing or not visible to ``user`` (a draft for the public)."""
    qs = versions_for(user).filter(qualification__slug=slug)
    if number is None:
        qs = qs.filter(status=ReferentialVersion.Status.PUBLISHED).order_by("-number")
    else:
        qs = qs.filter(number=number)
    version = with_tree(qs).first()
    if version is None:
        raise Http404
    return version


def search_filter(folded_query: str) -> Q:
    """Criteria whose text contains every word of the (already folded) query."""
    condition = Q()
    for word in folded_query.split():
        condition &= Q(search_text__contains=word)
    return condition
