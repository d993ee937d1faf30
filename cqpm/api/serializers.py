"""Read-only serializers of the national referential."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cqpm.models import (
    Bloc,
    Competence,
    Criterion,
    EvaluationModality,
    Qualification,
    ReferentialVersion,
)


class _TextList(serializers.ListField):
    """A list of related items rendered as their texts (conditions, results, knowledge)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), read_only=True, **kwargs)

    def to_representation(self, data):
        return [item.text for item in data.all()]


class VersionSummarySerializer(serializers.ModelSerializer):
    qualification = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ReferentialVersion
        fields = [
            "id",
            "qualification",
            "number",
            "status",
            "status_label",
            "published_at",
            "competence_credit_months",
            "bloc_credit_months",
        ]
        read_only_fields = fields


_QUALIFICATION_FIELDS = [
    "id",  # what requests refer to (a dossier's qualification, a jury session's)
    "slug",
    "code",
    "title",
    "rncp_code",
    "level",
    "european_level",
    "rncp_registered",
    "registration_decision_date",
    "certifier",
]


class QualificationInfoSerializer(serializers.ModelSerializer):
    """A CQPM's identity (empty official codes are ``""``: « à renseigner »)."""

    class Meta:
        model = Qualification
        fields = [*_QUALIFICATION_FIELDS, "description"]
        read_only_fields = fields


class QualificationSerializer(serializers.ModelSerializer):
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = [*_QUALIFICATION_FIELDS, "versions"]
        read_only_fields = fields

    @extend_schema_field(VersionSummarySerializer(many=True))
    def get_versions(self, qualification):
        # ``visible_versions``: prefetched by ``selectors.qualifications_for`` (what the
        # requesting user may read, newest first).
        versions = qualification.visible_versions
        for version in versions:
            version.qualification = qualification  # no query for the slug
        return VersionSummarySerializer(versions, many=True).data


class QualificationDetailSerializer(QualificationSerializer):
    class Meta(QualificationSerializer.Meta):
        fields = [*_QUALIFICATION_FIELDS, "description", "versions"]
        read_only_fields = fields


class ModalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationModality
        fields = ["id", "code", "label", "description", "requires_report"]
        read_only_fields = fields


class CriterionInTreeSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    conditional = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = ["id", "category", "category_label", "text", "conditional", "order"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": Criterion.Conditional.values, "nullable": True})
    def get_conditional(self, criterion):
        return criterion.conditional or None


class CompetenceTreeSerializer(serializers.ModelSerializer):
    conditions = _TextList()
    criteria = CriterionInTreeSerializer(many=True, read_only=True)
    expected_results = _TextList()
    knowledge = _TextList()

    class Meta:
        model = Competence
        fields = [
            "id",
            "code",
            "number",
            "title",
            "short_title",
            "conditions",
            "criteria",
            "expected_results",
            "knowledge",
        ]
        read_only_fields = fields


class BlocTreeSerializer(serializers.ModelSerializer):
    competences = CompetenceTreeSerializer(many=True, read_only=True)

    class Meta:
        model = Bloc
        fields = ["id", "code", "rncp_code", "title", "description", "competences"]
        read_only_fields = fields


class VersionDetailSerializer(VersionSummarySerializer):
    """A version with its whole tree: blocs → competences → conditions, criteria, results…"""

    qualification = QualificationInfoSerializer(read_only=True)
    modalities = ModalitySerializer(many=True, read_only=True)
    blocs = BlocTreeSerializer(many=True, read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "modalities", "blocs"]
        read_only_fields = fields


class _CompetenceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competence
        fields = ["id", "code", "number", "title"]
        read_only_fields = fields


class _VersionRefSerializer(serializers.ModelSerializer):
    qualification = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ReferentialVersion
        fields = ["id", "qualification", "number", "status"]
        read_only_fields = fields


class CriterionSerializer(CriterionInTreeSerializer):
    competence = _CompetenceRefSerializer(read_only=True)
    version = _VersionRefSerializer(read_only=True, source="competence.version")

    class Meta(CriterionInTreeSerializer.Meta):
        fields = [*CriterionInTreeSerializer.Meta.fields, "competence", "version"]
        read_only_fields = fields
