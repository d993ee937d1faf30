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
from rest_framework.views import APIView

from centres import tokens, twofactor
from cqpm.filtering import OrderingBackend, SearchBackend
from cqpm.listing import SortColumns
from cqpm.loader import export_tree
from cqpm.models import Criterion, ReferentialVersion
from cqpm.search import french
from cqpm.selectors import (
    criteria_for,
    qualifications_for,
    search_filter,
    versions_for,
    with_tree,
)
from cqpm.text import fold
from cqpm.throttling import ScopedThrottle

from .serializers import (
    CriterionSerializer,
    QualificationDetailSerializer,
    QualificationSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    VersionDetailSerializer,
    VersionSummarySerializer,
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


class ObtainTokenView(APIView):
    """``POST username, password[, otp]`` → ``{"token": …}``; throttled (scope ``token``).

    Each call creates a new token (``centres.tokens``: stored hashed, the key is only in
    this response; it expires and is revoked by a password or second-factor change). When
    two-factor authentication is enforced, the roles that must use it (centre
    administrators, staff, jurors) also send ``otp``: a token is a long-lived credential,
    so it is only handed out against the second factor (``centres.twofactor``)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        tags=["authentification"],
        summary=_("Obtenir un jeton d'API"),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                description=_("identifiants incorrects, ou code à usage unique manquant")
            ),
            429: OpenApiResponse(description=_("trop de tentatives")),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if twofactor.is_enforced() and twofactor.requires_two_factor(user):
            code = serializer.validated_data.get("otp", "")
            if not twofactor.check_api_code(user, code):
                twofactor.record_for_user(user, "auth.otp_failure", reason="api token")
                return Response(
                    {
                        "code": "otp_invalid" if code else "otp_required",
                        "detail": str(
                            _(
                                "Code à usage unique manquant ou incorrect : ajoutez le champ "
                                "otp (code de votre application ou code de secours)."
                            )
                        ),
                    },
                    status=400,
                )
        token, key = tokens.create_token(user, name=request.META.get("HTTP_USER_AGENT", "")[:100])
        return Response({"token": key, "id": token.pk, "expires_at": tokens.expires_at(token)})
