"""Serializers of the juries API. ``status``, ``version`` and every derived field are
read-only; related fields only accept objects of the active centre (or of the actor's
sessions). The organisation a member represents (union affiliation, GDPR art. 9) is only
returned to centre staff."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidates.models import Dossier
from centres.models import Company
from centres.roles import Capability, Role
from centres.selectors import centre_members
from core.limits import TEXT_LONG, TEXT_SHORT
from core.representation import PlannedRepresentation
from cqpm.models import Competence, Qualification, ReferentialVersion
from juries.access import items_for, sessions_for
from juries.models import (
    AgendaItem,
    Attendance,
    ConflictKind,
    Decision,
    DecisionCompetence,
    JuryMember,
    JurySession,
    LateInvitationReason,
    MinutesSignature,
    Vote,
    VoteValue,
)

User = get_user_model()


@extend_schema_field(OpenApiTypes.INT)
class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A related field whose choices come from ``queryset_for(request)``."""

    def __init__(self, queryset_for, **kwargs):
        self.queryset_for = queryset_for
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.queryset_for(request) if request is not None else None


def _qualifications(request):
    return Qualification.objects.filter(
        versions__status=ReferentialVersion.Status.PUBLISHED
    ).distinct()


def _sessions(request):
    return sessions_for(request.actor)


def _items(request):
    return items_for(request.actor)


def _dossiers(request):
    return Dossier.objects.filter(centre=request.actor.centre)


def _companies(request):
    return Company.objects.filter(centre=request.actor.centre)


def _jurors(request):
    return centre_members(request.actor.centre, Role.JUROR)


def _competences(request):
    return Competence.objects.filter(version__status=ReferentialVersion.Status.PUBLISHED)


def _is_staff(serializer) -> bool:
    request = serializer.context.get("request")
    actor = getattr(request, "actor", None)
    return bool(actor and actor.can(Capability.CONVENE_JURIES))


class JurySessionSerializer(PlannedRepresentation, serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    qualification = ScopedPK(_qualifications)
    qualification_title = serializers.CharField(source="qualification.title", read_only=True)
    jury_date = serializers.DateField(read_only=True)

    class Meta:
        model = JurySession
        fields = [
            "id",
            "reference",
            "qualification",
            "qualification_title",
            "label",
            "starts_at",
            "jury_date",
            "place",
            "town",
            "status",
            "invitations_sent_at",
            "late_invitation_reason",
            "late_invitation_justification",
            "imbalance_reason",
            "observations",
            "opened_at",
            "deliberation_started_at",
            "deliberated_at",
            "closed_at",
            "version",
        ]
        read_only_fields = [
            "status",
            "invitations_sent_at",
            "late_invitation_reason",
            "late_invitation_justification",
            "imbalance_reason",
            "observations",
            "opened_at",
            "deliberation_started_at",
            "deliberated_at",
            "closed_at",
            "version",
        ]


class JuryMemberSerializer(serializers.ModelSerializer):
    session = ScopedPK(_sessions)
    user = ScopedPK(_jurors)
    name = serializers.CharField(read_only=True)
    company = ScopedPK(_companies, required=False, allow_null=True)
    organisation = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Organisation représentée : renvoyée au centre uniquement (donnée sensible)."),
        max_length=200,
    )

    class Meta:
        model = JuryMember
        fields = [
            "id",
            "session",
            "user",
            "name",
            "college",
            "organisation",
            "company",
            "sex",
            "is_president",
            "qualified_for_certification",
            "attendance",
            "invited_at",
        ]
        read_only_fields = ["is_president", "attendance", "invited_at"]
        # the college and the union come from the juror's standing record (issue 15)
        extra_kwargs = {"college": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["session"].read_only = True
            fields["user"].read_only = True
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _is_staff(self):
            data.pop("organisation", None)
            data.pop("company", None)
            data.pop("sex", None)
        return data


class RegularitySerializer(serializers.Serializer):
    regular = serializers.BooleanField()
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_LONG
    )
    checked_at = serializers.DateTimeField(read_only=True)


class AgendaItemSerializer(serializers.ModelSerializer):
    session = ScopedPK(_sessions)
    dossier = ScopedPK(_dossiers)
    candidate_name = serializers.CharField(source="dossier.candidate.full_name", read_only=True)
    dossier_reference = serializers.CharField(source="dossier.reference", read_only=True)
    regularity = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "session",
            "dossier",
            "dossier_reference",
            "candidate_name",
            "position",
            "candidate_absent",
            "revises",
            "regularity",
            "decision",
        ]
        read_only_fields = ["position", "candidate_absent", "revises"]

    @extend_schema_field(RegularitySerializer(allow_null=True))
    def get_regularity(self, obj):
        check = getattr(obj, "regularity", None)
        if check is None:
            return None
        return {"regular": check.regular, "comment": check.comment, "checked_at": check.checked_at}

    @extend_schema_field(OpenApiTypes.INT)
    def get_decision(self, obj) -> int | None:
        decision = getattr(obj, "decision", None)
        return decision.pk if decision is not None else None


class VoteSerializer(serializers.ModelSerializer):
    item = ScopedPK(_items)
    competence = ScopedPK(_competences)
    competence_code = serializers.CharField(source="competence.code", read_only=True)
    member = serializers.PrimaryKeyRelatedField(read_only=True)
    value = serializers.ChoiceField(choices=VoteValue.choices)

    class Meta:
        model = Vote
        fields = ["id", "item", "competence", "competence_code", "member", "value", "cast_at"]
        read_only_fields = ["cast_at"]


class DecisionCompetenceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="competence.code", read_only=True)

    class Meta:
        model = DecisionCompetence
        fields = ["code", "source", "acquired", "votes_for", "votes_against", "casting_vote"]


class DecisionSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="item.session_id", read_only=True)
    candidate_name = serializers.CharField(source="dossier.candidate.full_name", read_only=True)
    competences = DecisionCompetenceSerializer(many=True, read_only=True)
    validated_blocs = serializers.SerializerMethodField()
    revoked_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "item",
            "session",
            "dossier",
            "candidate_name",
            "outcome",
            "competences",
            "validated_blocs",
            "decided_at",
            "frozen_at",
            "revoked_at",
            "revoked_by",
            "revocation_reason",
            "superseded_by",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_validated_blocs(self, obj):
        return sorted(b.code for b in obj.validated_blocs.all())


# --- verb payloads -------------------------------------------------------------------------


class DeliberateSerializer(serializers.Serializer):
    imbalance_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Motif de délibérer quand les présents ne sont pas répartis à égalité entre les "
            "collèges (figure au procès-verbal)."
        ),
        max_length=TEXT_LONG,
    )


class InvitationsSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=LateInvitationReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Motif d'une convocation tardive (obligatoire à moins de 15 jours)."),
    )
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Obligatoire à moins de 15 jours calendaires de la séance."),
        max_length=TEXT_LONG,
    )


class CloseSerializer(serializers.Serializer):
    observations = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=TEXT_LONG
    )


class SignSerializer(serializers.Serializer):
    """The re-authentication that makes a PV signature (never stored, never echoed) and the
    SHA-256 of the PV the member read (``sha256`` of the PV in ``/api/v1/documents/``)."""

    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}, max_length=1024
    )
    otp = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=16,
        help_text=_(
            "Code de l'application d'authentification, si la double authentification "
            "est activée sur le compte."
        ),
    )
    document_sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$",
        min_length=64,
        max_length=64,
        help_text=_("Empreinte SHA-256 du PDF du PV lu avant de signer."),
    )


class MinutesSignatureSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = MinutesSignature
        fields = [
            "id",
            "session",
            "member",
            "member_name",
            "signed_at",
            "document",
            "document_sha256",
            "proof",
        ]
        read_only_fields = fields


class MinutesSerializer(serializers.Serializer):
    """The PV the members present sign: the ``sha256`` to send with ``sign``."""

    document = serializers.IntegerField(allow_null=True)
    ready = serializers.BooleanField()
    sha256 = serializers.CharField(allow_blank=True)
    download_url = serializers.CharField(allow_blank=True)
    present = serializers.IntegerField()
    signatures = MinutesSignatureSerializer(many=True)


class AttendanceSerializer(serializers.Serializer):
    attendance = serializers.ChoiceField(choices=Attendance.choices)


class AbsentSerializer(serializers.Serializer):
    absent = serializers.BooleanField()


class ConflictSerializer(serializers.Serializer):
    member = serializers.IntegerField(
        required=False, help_text=_("Centre : le membre lié ; juré : omis (soi-même).")
    )
    kind = serializers.ChoiceField(choices=ConflictKind.choices)
    details = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_SHORT
    )


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_SHORT)
    later_session = ScopedPK(_sessions, required=False, allow_null=True)


class ResitSerializer(serializers.Serializer):
    dossier = serializers.IntegerField(read_only=True)
