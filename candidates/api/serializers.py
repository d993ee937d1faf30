from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidates.models import (
    AccessStatus,
    Candidate,
    DocumentKind,
    Dossier,
    DossierCompetence,
    DossierDocument,
)
from candidates.models.birthplace import BIRTH_PLACE_FIELDS, apply_birth_place
from candidates.models.plausibility import check_minimum_age, normalise_department
from candidates.services.registration import CANDIDATE_FIELDS
from centres.models import Company
from core.limits import TEXT_SHORT
from core.representation import PlannedRepresentation
from cqpm.models import Bloc, EvaluationModality, Qualification, ReferentialVersion


class CandidateSerializer(PlannedRepresentation, serializers.ModelSerializer):
    nir = serializers.CharField(
        write_only=True,
        max_length=30,  # 15 characters, with the spaces people type
        required=False,
        allow_blank=True,
        help_text=_("NIR (15 caractères) ; jamais renvoyé en clair. Vide : le supprime."),
    )
    nir_masked = serializers.SerializerMethodField()
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Confirme l'inscription malgré un homonyme de même date de naissance."),
    )
    version = serializers.IntegerField(required=False, help_text=_("Version connue (If-Match)."))

    class Meta:
        model = Candidate
        fields = [
            "id",
            *CANDIDATE_FIELDS,
            "nir",
            "nir_masked",
            "confirm_duplicate",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_birth_department(self, value):
        return normalise_department(value)

    def validate(self, attrs):
        """The rules across fields, as on the pages (``candidates.models.plausibility``); the
        single-field ones come with the model fields' validators."""
        attrs = super().validate(attrs)
        instance = self.instance

        def value(name, default=None):
            return attrs[name] if name in attrs else getattr(instance, name, default)

        try:
            check_minimum_age(value("birth_date"), value("access_status", AccessStatus.EMPLOYEE))
            # the birth place's codes (``candidates.models.birthplace``), on a copy
            place = Candidate(
                **{f: value(f, "") for f in BIRTH_PLACE_FIELDS if value(f) is not None}
            )
            apply_birth_place(place)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs

    @extend_schema_field(OpenApiTypes.STR)
    def get_nir_masked(self, obj):
        try:
            identity = obj.identity
        except AttributeError:  # no identity row (RelatedObjectDoesNotExist is one)
            return ""
        return identity.masked if identity else ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["version"] = instance.version
        return data


class DossierCompetenceSerializer(PlannedRepresentation, serializers.ModelSerializer):
    code = serializers.CharField(source="competence.code", read_only=True)
    title = serializers.CharField(source="competence.title", read_only=True)
    bloc = serializers.CharField(source="competence.bloc.code", read_only=True)

    class Meta:
        model = DossierCompetence
        fields = ["competence", "code", "title", "bloc", "modality", "report_deadline"]


class DossierVersionSerializer(PlannedRepresentation, serializers.ModelSerializer):
    qualification = serializers.PrimaryKeyRelatedField(read_only=True)
    qualification_title = serializers.CharField(source="qualification.title", read_only=True)

    class Meta:
        model = ReferentialVersion
        fields = ["id", "number", "qualification", "qualification_title"]


@extend_schema_field(OpenApiTypes.INT)
class CentreScopedPK(serializers.PrimaryKeyRelatedField):
    """A related field whose choices come from ``queryset_for(request)`` (the active centre)."""

    def __init__(self, queryset_for, **kwargs):
        self.queryset_for = queryset_for
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.queryset_for(request)


def _centre_companies(request):
    return (
        Company.objects.filter(centre=request.actor.centre) if request else Company.objects.none()
    )


def _centre_candidates(request):
    from candidates.access import candidates_for

    return candidates_for(request.actor) if request else Candidate.objects.none()


def _published_blocs(request):
    return Bloc.objects.filter(version__status=ReferentialVersion.Status.PUBLISHED)


class DossierSerializer(PlannedRepresentation, serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    candidate = CentreScopedPK(_centre_candidates)
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)
    qualification = serializers.PrimaryKeyRelatedField(
        queryset=Qualification.objects.all(),
        write_only=True,
        required=False,
        help_text=_("À la création : le CQPM (la dernière version publiée est retenue)."),
    )
    referential_version = DossierVersionSerializer(read_only=True)
    target_blocs = CentreScopedPK(_published_blocs, many=True, required=False)
    company = CentreScopedPK(_centre_companies, required=False, allow_null=True)
    competences = DossierCompetenceSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False, help_text=_("Version connue (If-Match)."))

    class Meta:
        model = Dossier
        fields = [
            "id",
            "reference",
            "candidate",
            "candidate_name",
            "qualification",
            "referential_version",
            "target",
            "target_blocs",
            "access_route",
            "company",
            "tutor_name",
            "tutor_email",
            "manager_name",
            "manager_email",
            "status",
            "withdrawn_reason",
            "previous_dossier",
            "competences",
            "submitted_at",
            "agreed_at",
            "closed_at",
            "version",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "withdrawn_reason",
            "previous_dossier",
            "submitted_at",
            "agreed_at",
            "closed_at",
            "created_at",
        ]
        extra_kwargs = {"access_route": {"required": False}, "target": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["version"] = instance.version
        return data

    # The lists the view attached (``reading.attach_lists``: two queries for a page), else
    # the relations.
    def represent_target_blocs(self, dossier):
        listed = dossier.__dict__.get("listed_target_blocs")
        if listed is None:
            return [bloc.pk for bloc in dossier.target_blocs.all()]
        return listed

    def represent_competences(self, dossier):
        listed = dossier.__dict__.get("listed_competences")
        if listed is None:
            return self.fields["competences"].to_representation(dossier.competences.all())
        return [
            {
                "competence": competence,
                "code": code,
                "title": title,
                "bloc": bloc,
                "modality": modality,
                "report_deadline": None if deadline is None else deadline.isoformat(),
            }
            for _dossier, competence, code, title, bloc, modality, deadline in listed
        ]


class CompanyDossierSerializer(DossierSerializer):
    """What a company representative reads: no tutor e-mails, no withdrawal reason."""

    class Meta(DossierSerializer.Meta):
        fields = [
            f
            for f in DossierSerializer.Meta.fields
            if f not in {"withdrawn_reason", "tutor_email", "manager_email", "qualification"}
        ]


# the schema documents DossierSerializer: what the company's view leaves out is optional there
DossierSerializer.schema_optional = frozenset(DossierSerializer.Meta.fields) - frozenset(
    CompanyDossierSerializer.Meta.fields
)


class ModalityAssignmentSerializer(serializers.Serializer):
    competence = serializers.IntegerField()
    modality = serializers.PrimaryKeyRelatedField(
        queryset=EvaluationModality.objects.all(), allow_null=True
    )
    report_deadline = serializers.DateField(required=False, allow_null=True)


class ModalitiesSerializer(serializers.Serializer):
    modalities = ModalityAssignmentSerializer(many=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text=_("Motif de l'abandon (obligatoire)."), max_length=TEXT_SHORT
    )


class DossierDocumentSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = DossierDocument
        fields = [
            "id",
            "dossier",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "late",
            "uploaded_at",
        ]
        read_only_fields = fields


def _visible_dossiers(request):
    from candidates.access import dossiers_for

    return dossiers_for(request.actor) if request else Dossier.objects.none()


class DossierDocumentUploadSerializer(serializers.Serializer):
    dossier = CentreScopedPK(_visible_dossiers)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.REPORT)
    file = serializers.FileField()
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )
