"""Documents API: list and read generated documents, retry a failed one, download a ready
one, follow a batch. Querysets come from ``documents.access`` (already centre-scoped)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from centres.access import require
from centres.roles import Capability
from core.listing import SortColumns
from core.search import french, text_search
from documents.access import batches_for, documents_for, get_document_for_user
from documents.api.serializers import DocumentBatchSerializer, DocumentSerializer
from documents.downloads import document_response
from documents.models import DocumentBatch, DocumentKind, DocumentStatus, GeneratedDocument
from documents.services import retry_document

TAG = "documents"


class DocumentFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=DocumentKind.choices, label=_("type"))
    status = filters.ChoiceFilter(choices=DocumentStatus.choices, label=_("état"))
    subject_type = filters.CharFilter(label=_("type de sujet"))
    subject_id = filters.CharFilter(label=_("identifiant du sujet"))
    batch = filters.NumberFilter(field_name="batch_id", label=_("lot"))
    q = filters.CharFilter(method="search", label=_("Recherche"))

    class Meta:
        model = GeneratedDocument
        fields = ["kind", "status", "subject_type", "subject_id", "batch", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(text_search(value, "label", "certificate__number"))


# the columns of the documents page (documents.views.DOCUMENT_SORT) that the API shows
DOCUMENT_SORT = SortColumns(
    "-created",
    label=french("label"),
    kind=("kind", "-created_at"),
    status=("status", "-created_at"),
    created="created_at",
)


# What ``DocumentSerializer`` reads: of the certificate record (a wide row, with the blocs
# and competences it certifies), only its number and verification code.
DOCUMENT_COLUMNS = (
    "id",
    "kind",
    "label",
    "subject_type",
    "subject_id",
    "status",
    "attempts",
    "error",
    "file",
    "sha256",
    "batch",
    "created_at",
    "rendered_at",
    "certificate__number",
    "certificate__verification_code",
)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Documents du centre")),
    retrieve=extend_schema(tags=[TAG], summary=_("Un document et son état")),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    sort_columns = DOCUMENT_SORT

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request actor
            return GeneratedDocument.objects.none()
        return (
            documents_for(self.request.actor)
            .select_related("certificate")
            .only(*DOCUMENT_COLUMNS)
            .order_by("-created_at", "-pk")
        )

    def list(self, request, *args, **kwargs):
        require(request.actor, Capability.VIEW_CENTRE)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary=_("Relancer un document en échec"),
        request=None,
        responses={200: DocumentSerializer},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        document = get_document_for_user(request.actor, pk, write=True)
        retry_document(document, actor=request.user)
        document = get_document_for_user(request.actor, pk)
        return Response(self.get_serializer(document).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Télécharger le PDF d'un document prêt"),
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description=_("Document inconnu, invisible ou pas encore prêt")),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return document_response(get_document_for_user(request.actor, pk))


@extend_schema_view(
    retrieve=extend_schema(tags=[TAG], summary=_("Un lot de documents et sa progression")),
)
class DocumentBatchViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentBatchSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DocumentBatch.objects.none()
        return batches_for(self.request.actor)
