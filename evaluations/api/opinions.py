"""Company avis API: give (create, then PATCH with If-Match), sign, and "not obtained"
(staff). A VAE dossier is refused with 400 ``vae_no_company_opinion``."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from centres.roles import Capability
from core.api.filtering import OrderingBackend, integer_param
from core.api.versioning import IF_MATCH, expected_version, with_etag
from core.listing import SortColumns
from core.search import french
from evaluations import services
from evaluations.access import opinion_dossiers_for
from evaluations.api.serializers import (
    CompanyOpinionSerializer,
    GiveOpinionSerializer,
    OpinionUpdateSerializer,
    UnavailableSerializer,
)
from evaluations.api.sessions import permissions_for
from evaluations.errors import EvaluationError
from evaluations.models import CompanyOpinion, OpinionStatus


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("dossier", int),
            OpenApiParameter("status", str, enum=OpinionStatus.values),
        ]
    ),
    retrieve=extend_schema(responses=CompanyOpinionSerializer),
    create=extend_schema(request=GiveOpinionSerializer, responses={201: CompanyOpinionSerializer}),
    partial_update=extend_schema(
        request=OpinionUpdateSerializer,
        parameters=[IF_MATCH],
        responses=CompanyOpinionSerializer,
    ),
)
class CompanyOpinionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The company's avis on its employees' dossiers (never for a VAE dossier). A company
    representative gives it per competence (favourable / reserved / unfavourable, with a
    comment) and signs it; centre staff read every avis and may record one as not
    obtained."""

    serializer_class = CompanyOpinionSerializer
    filter_backends = [OrderingBackend]
    sort_columns = SortColumns(
        "-updated",
        updated="updated_at",
        status=("status", "-updated_at"),
        candidate=(
            french("dossier__candidate__birth_name"),
            french("dossier__candidate__first_names"),
        ),
    )
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in {"list", "retrieve"}:
            return permissions_for(Capability.SCHEDULE_EVALUATIONS, Capability.GIVE_COMPANY_OPINION)
        if self.action == "unavailable":
            return permissions_for(Capability.SCHEDULE_EVALUATIONS)
        return permissions_for(Capability.GIVE_COMPANY_OPINION)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CompanyOpinion.objects.none()
        qs = (
            CompanyOpinion.objects.filter(dossier__in=opinion_dossiers_for(self.request.actor))
            .select_related("signed_by")
            .prefetch_related("items__competence")
            .order_by("-updated_at", "-id")
        )
        if self.action != "list":
            return qs
        params = self.request.query_params
        dossier = integer_param(params, "dossier")
        if dossier is not None:
            qs = qs.filter(dossier_id=dossier)
        if params.get("status") in OpinionStatus.values:
            qs = qs.filter(status=params["status"])
        return qs

    def _respond(self, opinion, status_code=status.HTTP_200_OK):
        opinion = self.get_queryset().get(pk=opinion.pk)
        return with_etag(
            Response(CompanyOpinionSerializer(opinion).data, status=status_code), opinion
        )

    def retrieve(self, request, *args, **kwargs):
        opinion = self.get_object()
        return with_etag(Response(self.get_serializer(opinion).data), opinion)

    def create(self, request, *args, **kwargs):
        body = GiveOpinionSerializer(
            data=request.data, dossiers=opinion_dossiers_for(request.actor)
        )
        body.is_valid(raise_exception=True)
        data = body.validated_data
        dossier = data["dossier"]
        if CompanyOpinion.objects.filter(dossier=dossier).exists():
            raise EvaluationError(
                _("L'avis de ce dossier existe déjà : modifiez-le (PATCH avec If-Match)."),
                code="opinion_exists",
            )
        opinion = services.give_opinion(
            dossier,
            actor=request.actor,
            items=data.get("items", ()),
            general_comment=data.get("general_comment"),
            author_capacity=data.get("author_capacity"),
        )
        return self._respond(opinion, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        opinion = self.get_object()
        version = expected_version(request)
        body = OpinionUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        opinion = services.give_opinion(
            opinion.dossier,
            actor=request.actor,
            items=data.get("items", ()),
            general_comment=data.get("general_comment"),
            author_capacity=data.get("author_capacity"),
            expected_version=version,
        )
        return self._respond(opinion)

    @extend_schema(request=None, parameters=[IF_MATCH], responses=CompanyOpinionSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the complete avis (every competence has a value); it is then final."""
        opinion = self.get_object()
        header = request.headers.get("If-Match")
        version = expected_version(request) if header else None
        opinion = services.sign_opinion(opinion, actor=request.actor, expected_version=version)
        return self._respond(opinion)

    @extend_schema(request=UnavailableSerializer, responses={200: CompanyOpinionSerializer})
    @action(detail=False, methods=["post"])
    def unavailable(self, request):
        """Centre staff record that no avis could be obtained for a dossier, with the
        reason (not for VAE, not once the avis is signed)."""
        body = UnavailableSerializer(
            data=request.data, dossiers=opinion_dossiers_for(request.actor)
        )
        body.is_valid(raise_exception=True)
        opinion = services.mark_opinion_unavailable(
            body.validated_data["dossier"],
            actor=request.actor,
            reason=body.validated_data["reason"],
        )
        return self._respond(opinion)
