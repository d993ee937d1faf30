"""The accrochage API (``/api/v1/accrochage/…``): the holders to declare, the register of
fluxes (create, read, download the XML), the portal's report and the re-sending of the
rejected passages. Centre staff who produce the documents (``manage_documents``) only; the
same services and rules as the pages."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accrochage import selectors, services
from accrochage.access import fluxes_for, get_flux_for_user, require_declarer
from accrochage.api.serializers import (
    FluxCreateSerializer,
    FluxSerializer,
    HolderSerializer,
    PassageSerializer,
    ReportUploadSerializer,
)
from accrochage.downloads import flux_response
from accrochage.models import Flux
from centres.roles import Capability
from core.api.filtering import SearchBackend
from core.api.permissions import has_capability
from juries.models import Decision

TAG = "accrochage"
ERROR = OpenApiResponse(description=_("Refus : {code, detail} en français"))
Declarer = has_capability(Capability.MANAGE_DOCUMENTS)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary=_("Titulaires à déclarer (CQPM délivrés en entier), avec leur échéance"),
    )
)
class HolderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = HolderSerializer
    permission_classes = [IsAuthenticated, Declarer]
    filter_backends = [SearchBackend, *viewsets.GenericViewSet.filter_backends]
    search_fields = (
        "dossier__candidate__birth_name",
        "dossier__candidate__usage_name",
        "dossier__candidate__first_names",
    )
    sort_columns = selectors.HOLDER_SORT

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        require_declarer(self.request.actor)
        rows = selectors.holders_to_declare(self.request.actor.centre)
        return rows.order_by(*selectors.HOLDER_SORT.order_by(None))

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = selectors.with_deadlines(page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Registre des fichiers d'accrochage")),
    retrieve=extend_schema(tags=[TAG], summary=_("Un fichier d'accrochage")),
)
class FluxViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FluxSerializer
    permission_classes = [IsAuthenticated, Declarer]
    sort_columns = selectors.FLUX_SORT

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Flux.objects.none()
        return fluxes_for(self.request.actor).select_related("created_by")

    def get_object(self):
        return get_flux_for_user(self.request.actor, self.kwargs["pk"])

    @extend_schema(
        tags=[TAG],
        summary=_("Générer un fichier pour des titulaires"),
        description=_(
            "Déclare les décisions choisies (et retire les certificats révoqués déjà "
            "acceptés). Au-delà de ACCROCHAGE_SYNC_LIMIT titulaires, le fichier est préparé "
            "par une tâche : 202 et un flux « pending » dont `progress` avance."
        ),
        request=FluxCreateSerializer,
        responses={201: FluxSerializer, 202: FluxSerializer, 400: ERROR},
    )
    def create(self, request, *args, **kwargs):
        actor = request.actor
        require_declarer(actor)
        body = FluxCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = body.validated_data["decisions"]
        if len(ids) > settings.ACCROCHAGE_SYNC_LIMIT:
            flux = services.request_flux(actor.centre, ids, actor=actor)
            code = status.HTTP_202_ACCEPTED
        else:
            flux = services.generate_flux(actor.centre, ids, actor=actor)
            code = status.HTTP_201_CREATED
        return Response(FluxSerializer(flux).data, status=code)

    @extend_schema(
        tags=[TAG],
        summary=_("Le fichier XML du flux"),
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description=_("Flux inconnu, d'un autre centre ou pas prêt")),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return flux_response(self.get_object())

    @extend_schema(
        tags=[TAG],
        summary=_("Les passages du flux et leur état"),
        responses={200: PassageSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def passages(self, request, pk=None):
        flux = self.get_object()
        rows = selectors.passages_of(flux, status=request.query_params.get("status", ""))
        rows = rows.order_by(*selectors.PASSAGE_SORT.order_by(None))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PassageSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Importer le compte rendu de traitement du portail"),
        request={"multipart/form-data": ReportUploadSerializer},
        responses={200: FluxSerializer, 400: ERROR},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def report(self, request, pk=None):
        flux = self.get_object()
        body = ReportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flux = services.import_report(flux, body.validated_data["report"], actor=request.actor)
        return Response(FluxSerializer(flux).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Renvoyer seuls les passages rejetés (un nouveau flux)"),
        request=None,
        responses={201: FluxSerializer, 400: ERROR},
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        again = services.resend_rejected(self.get_object(), actor=request.actor)
        return Response(FluxSerializer(again).data, status=status.HTTP_201_CREATED)
