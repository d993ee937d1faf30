from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ..models import CertificateKind, DocumentBatch, GeneratedDocument


class DocumentSerializer(serializers.ModelSerializer):
    """A generated document. ``status`` is read-only: it changes through the pipeline and
    the ``retry`` verb only."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
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
        return reverse(
            "api:document-download", kwargs={"pk": document.pk}, request=self.context.get("request")
        )

    def _certificate(self, document):
        if document.kind in CertificateKind.values and document.certificate_id:
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
