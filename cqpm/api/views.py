"""Read-only API of the national referential, and the token endpoint.

The referential is public national data: reading it needs no account (``AllowAny``), like
the pages; drafts are visible to national administrators only (``cqpm.selectors``).
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.filtering import OrderingBackend, SearchBackend
from core.listing import SortColumns
from core.search import french
from core.text import fold
from cqpm.api.serializers import (
    CriterionSerializer,
    QualificationDetailSerializer,
    QualificationSerializer,
    VersionDetailSerializer,
    VersionSummarySerializer,
)
from cqpm.loader import export_tree
from cqpm.models import Criterion, ReferentialVersion
from cqpm.selectors import (
    criteria_for,
    qualifications_for,
    search_filter,
    versions_for,
    with_tree,
)

TAG = "référentiel"
QUALIFICATION_SORT = SortColumns("title", title=french("title"), code=("code", french("title")))


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Catalogue des CQPM")),
    retrieve=extend_schema(tags=[TAG], summary=_("Un CQPM et ses versions")),
)
class QualificationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [SearchBackend, OrderingBackend]
    search_fields = ["title", "code", "rncp_code", "slug"]
    search_description = "Intitulé, code CQPM, fiche RNCP (accents et majuscules ignorés)."
    sort_columns = QUALIFICATION_SORT

    def get_queryset(self):
        return qualifications_for(self.request.user).order_by(*QUALIFICATION_SORT.order_by(None))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return QualificationDetailSerializer
        return QualificationSerializer


class VersionFilter(filters.FilterSet):
    qualification = filters.CharFilter(
        field_name="qualification__slug", label=_("identifiant du CQPM")
    )
    status = filters.ChoiceFilter(choices=ReferentialVersion.Status.choices, label=_("statut"))

    class Meta:
        model = ReferentialVersion
        fields = ["qualification", "status"]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Versions de référentiel")),
    retrieve=extend_schema(
        tags=[TAG],
        summary=_("Une version avec son arbre complet"),
        description=_(
            "Blocs → compétences → conditions de réalisation, critères (4 rubriques, "
            "marqueur conditionnel), résultats attendus, connaissances associées."
        ),
    ),
)
class ReferentialVersionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    filterset_class = VersionFilter

    def get_queryset(self):
        qs = (
            versions_for(self.request.user)
            .select_related("qualification")
            .order_by("qualification__title", "-number")
        )
        if self.action in ("retrieve", "export"):
            qs = with_tree(qs)
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return VersionDetailSerializer
        return VersionSummarySerializer

    @extend_schema(
        tags=[TAG],
        summary=_("Export JSON d'une version"),
        description=_(
            "Le document au format de load_referential / export_referential "
            "(docs/referential-format.md)."
        ),
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=_("document JSON"))},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def export(self, request, pk=None):
        return Response(export_tree(self.get_object()))


class CriterionFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_q", label=_("mots du texte (accents et majuscules ignorés)")
    )
    category = filters.ChoiceFilter(choices=Criterion.Category.choices, label=_("rubrique"))
    competence = filters.CharFilter(field_name="competence__code", label=_("code de compétence"))
    version = filters.NumberFilter(field_name="competence__version_id", label=_("id de version"))
    qualification = filters.CharFilter(
        field_name="competence__version__qualification__slug", label=_("identifiant du CQPM")
    )

    class Meta:
        model = Criterion
        fields = ["q", "category", "competence", "version", "qualification"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_filter(fold(value)))


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Recherche dans les critères")),
    retrieve=extend_schema(tags=[TAG], summary=_("Un critère")),
)
class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = CriterionSerializer
    filterset_class = CriterionFilter

    def get_queryset(self):
        return (
            criteria_for(self.request.user)
            .select_related("competence__version__qualification")
            .order_by(
                "competence__version__qualification__title",
                "-competence__version__number",
                "competence__order",
                "order",
            )
        )
