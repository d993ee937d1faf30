from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accrochage.models import Flux, Passage
from accrochage.report import MAX_REPORT_BYTES


class HolderSerializer(serializers.Serializer):
    decision = serializers.IntegerField(source="pk")
    dossier = serializers.CharField(source="dossier.reference")
    candidate = serializers.CharField(source="dossier.candidate.full_name")
    qualification = serializers.CharField(source="dossier.referential_version.qualification.title")
    rncp_code = serializers.CharField(source="dossier.referential_version.qualification.rncp_code")
    access_route = serializers.CharField(source="dossier.access_route")
    jury_date = serializers.DateField(source="jury_day")
    deadline = serializers.DateField(help_text=_("date du jury + 3 mois"))
    overdue = serializers.BooleanField()
    rejected = serializers.BooleanField(help_text=_("une déclaration précédente a été rejetée"))


class FluxSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)

    class Meta:
        model = Flux
        fields = [
            "id",
            "flux_id",
            "status",
            "progress",
            "error",
            "created_at",
            "created_by",
            "passage_count",
            "sha256",
            "report_imported_at",
            "accepted_count",
            "rejected_count",
        ]
        read_only_fields = fields


class PassageSerializer(serializers.ModelSerializer):
    decision = serializers.IntegerField(source="decision_id")

    class Meta:
        model = Passage
        fields = ["id", "decision", "id_technique", "action", "status", "holder", "error_message"]
        read_only_fields = fields


class FluxCreateSerializer(serializers.Serializer):
    decisions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=True,
        max_length=200_000,
        help_text=_(
            "les identifiants des décisions à déclarer (vide : seulement les retraits dus)"
        ),
    )


class ReportUploadSerializer(serializers.Serializer):
    """The report (a multipart body) as a file ``report`` or as the text field ``content``."""

    report = serializers.FileField(
        required=False, help_text=_("le compte rendu XML rendu par le portail")
    )
    content = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=MAX_REPORT_BYTES,
        help_text=_("ou le même compte rendu, en texte"),
    )

    def validate_report(self, report):
        if report.size > MAX_REPORT_BYTES:
            raise serializers.ValidationError(_("Le compte rendu dépasse 200 Mo."))
        return report

    def validate(self, attrs):
        if bool(attrs.get("report")) == bool(attrs.get("content")):
            raise serializers.ValidationError(
                _("Joignez le compte rendu : un fichier « report » ou un texte « content ».")
            )
        if attrs.get("content"):
            attrs["report"] = ContentFile(attrs["content"].encode("utf-8"), name="compte-rendu.xml")
        return attrs
