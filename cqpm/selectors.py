"""Reads of the referential: who sees which versions, and the prefetched version tree.

The referential is national, public data: everyone (anonymous included) sees published and
archived versions; drafts are work in progress that only national administrators see.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404

from cqpm.models import (
    Bloc,
    Competence,
    Condition,
    Criterion,
    ExpectedResult,
    Qualification,
    ReferentialVersion,
)

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


@dataclass(frozen=True)
class CompetenceTexts:
    """What a grid shows of its competence: its criteria (by id), conditions de réalisation
    and résultats attendus, in the referential's order."""

    criteria: dict
    conditions: tuple
    expected_results: tuple


# competence id -> CompetenceTexts, for published and archived versions only: their content
# cannot change any more (``_VersionContent`` refuses every save and delete), so each worker
# reads it once. A draft's texts are read on every call.
_COMPETENCE_TEXTS: dict[int, CompetenceTexts] = {}
_COMPETENCE_TEXTS_MAX = 2000


def competence_texts(competence_id: int) -> CompetenceTexts:
    texts = _COMPETENCE_TEXTS.get(competence_id)
    if texts is not None:
        return texts
    status = (
        Competence.objects.filter(pk=competence_id)
        .values_list("version__status", flat=True)
        .first()
    )
    texts = CompetenceTexts(
        criteria={c.pk: c for c in Criterion.objects.filter(competence_id=competence_id)},
        conditions=tuple(Condition.objects.filter(competence_id=competence_id)),
        expected_results=tuple(ExpectedResult.objects.filter(competence_id=competence_id)),
    )
    if status in PUBLIC_STATUSES:
        if len(_COMPETENCE_TEXTS) >= _COMPETENCE_TEXTS_MAX:
            _COMPETENCE_TEXTS.clear()
        _COMPETENCE_TEXTS[competence_id] = texts
    return texts


def forget_competence_texts(**_kwargs) -> None:
    """Empty this process's copy (connected to the referential's model signals: a test or
    a draft being published never reads an outdated copy)."""
    _COMPETENCE_TEXTS.clear()
