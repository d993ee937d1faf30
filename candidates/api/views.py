"""Candidates API: candidates, dossiers (transitions as verb endpoints), documents.

Querysets come from the access helpers; object actions resolve their object through
``get_<thing>_for_user`` (404 when not visible, 403 when visible but not allowed); every
write goes through ``candidates.services``.
"""

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from candidates import services
from candidates.access import (
    candidates_for,
    documents_for,
    dossiers_for,
    get_candidate_for_user,
    get_document_for_user,
    get_dossier_for_user,
)
from candidates.api.filters import CandidateFilter, DocumentFilter, DossierFilter
from candidates.api.reading import attach_lists, dossiers_to_show
from candidates.api.serializers import (
    CandidateSerializer,
    CompanyDossierSerializer,
    DossierDocumentSerializer,
    DossierDocumentUploadSerializer,
    DossierSerializer,
    ModalitiesSerializer,
    WithdrawSerializer,
)
from candidates.models import Candidate, Dossier, DossierCompetence, DossierDocument
from candidates.selectors import CANDIDATE_SORT, DOSSIER_SORT
from centres.roles import Capability
from core.api.permissions import ActorCan
from core.api.versioning import IF_MATCH, expected_version, with_etag
from core.api.viewsets import VersionedMixin
from core.disposition import name_download

READ = (Capability.VIEW_CENTRE,)
WRITE = (Capability.REGISTER_CANDIDATES,)
ERROR = OpenApiResponse(description="Refus métier : {code, detail}.")


@extend_schema_view(
    retrieve=extend_schema(responses=CandidateSerializer),
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
)
class CandidateViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Candidates of the active centre (centre staff). The NIR is write-only and only
    ever returned masked."""

    serializer_class = CandidateSerializer
    permission_classes = [ActorCan]
    filterset_class = CandidateFilter
    sort_columns = CANDIDATE_SORT

    def required_capabilities(self):
        return READ if self.action in {"list", "retrieve"} else WRITE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Candidate.objects.none()
        return (
            candidates_for(self.request.actor)
            .select_related("identity")
            .order_by(*CANDIDATE_SORT.order_by(None))
        )

    def get_object(self):
        write = self.action not in {"list", "retrieve"}
        candidate = get_candidate_for_user(self.request.actor, self.kwargs["pk"], write=write)
        return self.get_queryset().get(pk=candidate.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        nir = data.pop("nir", "")
        confirm = data.pop("confirm_duplicate", False)
        data.pop("version", None)
        try:
            candidate = services.register_candidate(
                actor=request.actor, data=data, nir=nir, confirm_duplicate=confirm
            )
        except services.PossibleDuplicate as exc:
            return Response(
                {
                    "code": exc.code,
                    "detail": str(exc.message),
                    "duplicates": [d.pk for d in exc.duplicates],
                },
                status=status.HTTP_409_CONFLICT,
            )
        candidate = self.get_queryset().get(pk=candidate.pk)
        response = Response(self.get_serializer(candidate).data, status=status.HTTP_201_CREATED)
        return with_etag(response, candidate)

    def save_update(self, candidate, validated_data, version):
        data = dict(validated_data)
        nir = data.pop("nir", None)
        data.pop("confirm_duplicate", None)
        data.pop("version", None)
        services.update_candidate(
            candidate, actor=self.request.actor, data=data, nir=nir, expected_version=version
        )
        return self.get_queryset().get(pk=candidate.pk)


def _transition_schema(summary, request=None):
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[IF_MATCH],
        responses={200: DossierSerializer, 400: ERROR, 412: ERROR},
    )


@extend_schema_view(
    retrieve=extend_schema(responses=DossierSerializer),
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
)
class DossierViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Dossiers (inscriptions). Company representatives read their employees' dossiers;
    ``status`` changes only through the verb endpoints."""

    serializer_class = DossierSerializer
    permission_classes = [ActorCan]
    filterset_class = DossierFilter
    sort_columns = DOSSIER_SORT

    def required_capabilities(self):
        if self.action == "list":
            return (Capability.VIEW_CENTRE, Capability.GIVE_COMPANY_OPINION)
        if self.action == "create":
            return WRITE
        return ()  # object actions: the access helper answers 404 or 403

    def get_serializer_class(self):
        actor = getattr(self.request, "actor", None)
        if actor is not None and not actor.can(Capability.VIEW_CENTRE):
            return CompanyDossierSerializer
        return DossierSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Dossier.objects.none()
        if self.action == "list":
            return dossiers_to_show(self.request.actor)
        return (
            dossiers_for(self.request.actor)
            .prefetch_related(
                "target_blocs",
                Prefetch(
                    "competences",
                    queryset=DossierCompetence.objects.select_related("competence__bloc"),
                ),
            )
            .order_by("-created_at", "-id")
        )

    def get_object(self):
        write = self.action not in {"list", "retrieve"}
        dossier = get_dossier_for_user(self.request.actor, self.kwargs["pk"], write=write)
        return self.get_queryset().get(pk=dossier.pk)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_lists(page)
        return page

    def fetch_for_response(self, dossier):
        dossier = dossiers_to_show(self.request.actor).get(pk=dossier.pk)
        attach_lists([dossier])
        return dossier

    def retrieve(self, request, *args, **kwargs):
        return self.versioned_response(get_dossier_for_user(request.actor, self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not data.get("qualification"):
            raise_required("qualification")
        dossier = services.open_dossier(
            data["candidate"],
            actor=request.actor,
            qualification=data["qualification"],
            access_route=data.get("access_route"),
            target=data.get("target", "whole"),
            blocs=data.get("target_blocs", []),
            company=data.get("company"),
            tutor_name=data.get("tutor_name", ""),
            tutor_email=data.get("tutor_email", ""),
            manager_name=data.get("manager_name", ""),
            manager_email=data.get("manager_email", ""),
        )
        return self.versioned_response(dossier, status.HTTP_201_CREATED)

    def save_update(self, dossier, validated_data, version):
        data = dict(validated_data)
        for ignored in ("candidate", "qualification", "version"):
            data.pop(ignored, None)
        target = data.pop("target", None)
        blocs = data.pop("target_blocs", None)
        if target is None and blocs is not None:
            target = dossier.target
        if target is not None and blocs is None:
            blocs = list(dossier.target_blocs.all())
        services.update_dossier(
            dossier,
            actor=self.request.actor,
            expected_version=version,
            target=target,
            blocs=blocs,
            **data,
        )
        return dossier

    @_transition_schema("Soumettre le dossier (brouillon → soumis)", request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        dossier = self.get_object()
        services.submit(
            dossier, actor=request.actor, expected_version=expected_version(request, required=False)
        )
        return self.versioned_response(dossier)

    @_transition_schema("Valider les modalités (soumis → modalités validées)", request=None)
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        dossier = self.get_object()
        services.agree(
            dossier, actor=request.actor, expected_version=expected_version(request, required=False)
        )
        return self.versioned_response(dossier)

    @_transition_schema("Abandonner le dossier (motif obligatoire)", request=WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        dossier = self.get_object()
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.withdraw(
            dossier,
            actor=request.actor,
            reason=serializer.validated_data["reason"],
            expected_version=expected_version(request, required=False),
        )
        return self.versioned_response(dossier)

    @_transition_schema("Clore le dossier (décidé → clos)", request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        dossier = self.get_object()
        services.close(
            dossier, actor=request.actor, expected_version=expected_version(request, required=False)
        )
        return self.versioned_response(dossier)

    @_transition_schema(
        "Choisir la modalité et la date limite de chaque compétence", request=ModalitiesSerializer
    )
    @action(detail=True, methods=["post"])
    def modalities(self, request, pk=None):
        dossier = self.get_object()
        serializer = ModalitiesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignments = {
            row["competence"]: (row["modality"], row.get("report_deadline"))
            for row in serializer.validated_data["modalities"]
        }
        services.set_modalities(
            dossier,
            assignments,
            actor=request.actor,
            expected_version=expected_version(request, required=False),
        )
        return self.versioned_response(dossier)

    @extend_schema(
        summary="Ouvrir un nouveau passage avec les acquis encore valables",
        request=None,
        responses={201: DossierSerializer, 400: ERROR},
    )
    @action(detail=True, methods=["post"])
    def resit(self, request, pk=None):
        dossier = self.get_object()
        resit = services.open_resit_dossier(dossier, actor=request.actor)
        return self.versioned_response(resit, status.HTTP_201_CREATED)


def raise_required(field):
    from rest_framework.exceptions import ValidationError
    from rest_framework.fields import Field

    # DRF's own "required" message (translated by DRF's catalogues), as for any other field.
    raise ValidationError({field: [Field.default_error_messages["required"]]})


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": DossierDocumentUploadSerializer},
        responses={201: DossierDocumentSerializer, 400: ERROR},
    )
)
class DossierDocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Documents of the dossiers (centre staff). Files are checked by content and only
    ever downloaded through ``download``."""

    serializer_class = DossierDocumentSerializer
    permission_classes = [ActorCan]
    filterset_class = DocumentFilter
    parser_classes = [MultiPartParser]  # the one upload: a file and its fields

    def required_capabilities(self):
        if self.action == "list":
            return READ
        if self.action == "create":
            return WRITE
        return ()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DossierDocument.objects.none()
        return documents_for(self.request.actor).order_by("-uploaded_at", "-id")

    def get_object(self):
        return get_document_for_user(self.request.actor, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = DossierDocumentUploadSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dossier = get_dossier_for_user(request.actor, data["dossier"].pk, write=True)
        document = services.upload_document(
            dossier,
            actor=request.actor,
            uploaded_file=data["file"],
            kind=data["kind"],
            description=data.get("description", ""),
        )
        return Response(DossierDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Télécharger le fichier",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        name_download(response, document.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
