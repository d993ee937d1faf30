"""Serializers of the tenancy API. Writes go through ``centres.services``; related fields
only offer the active centre's objects."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from centres.models import JURY_QUORUM_FLOOR, Centre, Company, Invitation, Membership
from centres.roles import Role
from centres.validators import normalize_siret, validate_siret


class ActiveCentreCompanyField(serializers.PrimaryKeyRelatedField):
    """A company of the request's active centre (never another centre's)."""

    def get_queryset(self):
        actor = getattr(self.context.get("request"), "actor", None)
        if actor is None or actor.centre is None:
            return Company.objects.none()
        return Company.objects.filter(centre=actor.centre)


class SiretField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.validators.append(validate_siret)

    def to_internal_value(self, data):
        return normalize_siret(super().to_internal_value(data))


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    email = serializers.EmailField(read_only=True)


class CompanySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CentreSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)


class CompanySerializer(serializers.ModelSerializer):
    siret = SiretField(label=_("SIRET"))

    class Meta:
        model = Company
        fields = ["id", "name", "siret", "address", "city", "sites", "version", "created_at"]
        read_only_fields = ["id", "version", "created_at"]


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    company = CompanySummarySerializer(read_only=True, allow_null=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "role",
            "role_label",
            "company",
            "handles_accommodations",
            "is_active",
            "created_at",
            "deactivated_at",
        ]
        read_only_fields = fields


class MembershipDeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class InvitationSerializer(serializers.ModelSerializer):
    company = ActiveCentreCompanyField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Invitation.Status.choices, read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    invited_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "company",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        # The partial unique constraint is the service's business (it refreshes instead).
        validators = []

    def validate(self, attrs):
        if attrs.get("role") == Role.COMPANY_REP and not attrs.get("company"):
            raise serializers.ValidationError(
                {"company": _("Choisissez l'entreprise que cette personne représentera.")}
            )
        return attrs


class CentreSettingsSerializer(serializers.ModelSerializer):
    siret = SiretField(label=_("SIRET"))
    jury_quorum = serializers.IntegerField(min_value=JURY_QUORUM_FLOOR, required=False)
    commission_min_assessors = serializers.IntegerField(min_value=2, required=False)
    retention_active_months = serializers.IntegerField(min_value=1, required=False)
    retention_archive_months = serializers.IntegerField(min_value=0, required=False)

    class Meta:
        model = Centre
        fields = [
            "id",
            "name",
            "slug",
            "region",
            "address",
            "city",
            "siret",
            "jury_quorum",
            "commission_min_assessors",
            "retention_active_months",
            "retention_archive_months",
            "version",
        ]
        read_only_fields = ["id", "name", "slug", "region", "version"]


class MeMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    centre = CentreSummarySerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display")
    company = CompanySummarySerializer(allow_null=True)
    handles_accommodations = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    user = UserSummarySerializer()
    is_national_admin = serializers.BooleanField()
    active_centre = CentreSummarySerializer(allow_null=True)
    roles = serializers.ListField(
        child=serializers.CharField(), help_text=_("Rôles dans le centre actif.")
    )
    capabilities = serializers.ListField(child=serializers.CharField())
    memberships = MeMembershipSerializer(many=True)
