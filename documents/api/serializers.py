from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.representation import ChoiceLabelField, PlannedRepresentation
from documents.models import CertificateKind, DocumentBatch, GeneratedDocument

# Stands for the document's id in the download URL, resolved once (the router's ``pk``
# accepts any segment without "/" or "."): the same URL as ``reverse`` with the id.
_PK = "__pk__"
_CERTIFICATE_KINDS = frozenset(CertificateKind.values)


class DocumentSerializer(PlannedRepresentation, serializers.ModelSerializer):
    """A generated document. ``status`` is read-only: it changes through the pipeline and
    the ``retry`` verb only."""

    kind_display = ChoiceLabelField(source="kind")
    status_display = ChoiceLabelField(source="status")
    download_url = serializers.SerializerMethodField()
    verification_code = serializers.SerializerMethodField()
    certificate_number = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "kind",
            "kind_display",
            "label",
            "subject_type",
            "subject_id",
            "status",
            "status_display",
            "attempts",
            "error",
            "sha256",
            "batch",
            "created_at",
            "rendered_at",
            "download_url",
            "certificate_number",
            "verification_code",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str | None:
        if not document.is_ready:
            return None
        around = self.__dict__.get("_download_url")
        if around is None:  # resolved once per serializer, not once per row
            url = reverse(
                "api:document-download", kwargs={"pk": _PK}, request=self.context.get("request")
            )
            head, _pk, tail = url.rpartition(_PK)
            around = self._download_url = (head, tail)
        return f"{around[0]}{document.pk}{around[1]}"

    def _certificate(self, document):
        if document.kind in _CERTIFICATE_KINDS and document.certificate_id:
            return document.certificate
        return None

    @extend_schema_field(OpenApiTypes.STR)
    def get_verification_code(self, document) -> str | None:
        record = self._certificate(document)
        return record.display_code if record else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_certificate_number(self, document) -> str | None:
        record = self._certificate(document)
        return record.number if record else None


class BatchProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    pending = serializers.IntegerField()
    rendering = serializers.IntegerField()
    ready = serializers.IntegerField()
    failed = serializers.IntegerField()
    percent = serializers.IntegerField()
    finished = serializers.BooleanField()


class DocumentBatchSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = DocumentBatch
        fields = ["id", "label", "subject_type", "subject_id", "created_at", "progress"]
        read_only_fields = fields

    @extend_schema_field(BatchProgressSerializer)
    def get_progress(self, batch) -> dict:
        return batch.progress().as_dict()
