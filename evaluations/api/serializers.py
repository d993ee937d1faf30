"""Serializers of the evaluations API. ``status`` and ``version`` are always read-only;
related fields are restricted to what the acting user may reach in the active centre."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidates.models import Dossier
from centres.roles import Role
from core.limits import TEXT_LONG, TEXT_SHORT
from core.representation import PlannedRepresentation
from evaluations.models import (
    AuthorCapacity,
    CommissionMember,
    CompanyOpinion,
    CompanyOpinionItem,
    ConflictDeclaration,
    CriterionScore,
    EvaluationSession,
    Grid,
    GridSignature,
    LinkKind,
    OpinionValue,
    Proposal,
    ScoreState,
    SessionDossier,
)


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


class EvaluationSessionSerializer(serializers.ModelSerializer):
    confirm_past = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Confirme un début passé de plus d'un jour (session déjà tenue)."),
    )

    class Meta:
        model = EvaluationSession
        fields = [
            "id",
            "reference",
            "label",
            "starts_at",
            "ends_at",
            "place",
            "town",
            "modality",
            "status",
            "notes",
            "version",
            "confirm_past",
        ]
        read_only_fields = ["id", "reference", "status", "version"]
        extra_kwargs = {"place": {"required": True}}


class GridSummarySerializer(serializers.ModelSerializer):
    competence_code = serializers.CharField(source="competence.code", read_only=True)
    competence_title = serializers.CharField(source="competence.title", read_only=True)

    class Meta:
        model = Grid
        fields = ["id", "competence", "competence_code", "competence_title", "status", "proposal"]
        read_only_fields = fields


class SessionDossierSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="dossier.reference", read_only=True)
    candidate_name = serializers.CharField(source="dossier.candidate.full_name", read_only=True)
    company_name = serializers.CharField(source="dossier.company.name", read_only=True, default="")
    dossier_status = serializers.CharField(source="dossier.status", read_only=True)
    grids = serializers.SerializerMethodField()

    class Meta:
        model = SessionDossier
        fields = [
            "id",
            "dossier",
            "reference",
            "candidate_name",
            "company_name",
            "dossier_status",
            "convoked_at",
            "grids",
        ]
        read_only_fields = fields

    @extend_schema_field(GridSummarySerializer(many=True))
    def get_grids(self, slot):
        grids = self.context.get("grids_by_dossier", {}).get(slot.dossier_id, [])
        return GridSummarySerializer(grids, many=True).data


class AddDossierSerializer(serializers.Serializer):
    dossier = serializers.PrimaryKeyRelatedField(queryset=Dossier.objects.none())

    def __init__(self, *args, dossiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossiers is not None:  # the views pass the active centre's dossiers
            self.fields["dossier"].queryset = dossiers


class CommissionMemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = CommissionMember
        fields = ["id", "session", "user", "name", "present", "convoked_at"]
        read_only_fields = fields

    def get_name(self, member) -> str:
        return person_name(member.user)


class AddMemberSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.none())

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centre is None:
            return
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__centre=centre,
                memberships__role=Role.ASSESSOR,
                memberships__is_active=True,
            )
            .distinct()
        )


class PresenceSerializer(serializers.Serializer):
    present = serializers.BooleanField()


class DeclarationSerializer(serializers.ModelSerializer):
    dossier = serializers.PrimaryKeyRelatedField(queryset=Dossier.objects.none())
    declared_link = serializers.ChoiceField(choices=LinkKind.choices, default=LinkKind.NONE)
    statement = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_LONG
    )

    class Meta:
        model = ConflictDeclaration
        fields = [
            "id",
            "dossier",
            "declared_link",
            "link_details",
            "statement",
            "accepted",
            "refusal_reason",
            "signed_at",
        ]
        read_only_fields = ["id", "accepted", "refusal_reason", "signed_at"]

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None:
            self.fields["dossier"].queryset = Dossier.objects.filter(
                evaluation_slots__session=session
            )


class GridCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    conditional = serializers.BooleanField(source="is_conditional")
    order = serializers.IntegerField()


class CriterionScoreSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=ScoreState.choices, allow_blank=True, required=False)
    updated_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CriterionScore
        fields = [
            "id",
            "grid",
            "criterion",
            "state",
            "comment",
            "justification",
            "version",
            "updated_by",
            "updated_by_name",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "grid",
            "criterion",
            "version",
            "updated_by",
            "updated_by_name",
            "updated_at",
        ]
        extra_kwargs = {
            "comment": {"required": False, "allow_blank": True},
            "justification": {"required": False, "allow_blank": True},
        }

    def get_updated_by_name(self, score) -> str:
        return person_name(score.updated_by)


_DATETIME = serializers.DateTimeField()


def criterion_score_data(values: dict) -> dict:
    """``CriterionScoreSerializer``'s output from the plain values the autosave read or wrote
    (``evaluations.services.scores``): same keys, same order, ``updated_at`` formatted the same
    way, without building a serializer per request."""
    data = dict(values)
    data["updated_at"] = _DATETIME.to_representation(values["updated_at"])
    return data


class GridScoreSerializer(CriterionScoreSerializer):
    criterion = GridCriterionSerializer(read_only=True)

    class Meta(CriterionScoreSerializer.Meta):
        read_only_fields = CriterionScoreSerializer.Meta.fields


class StaleScoreSerializer(serializers.Serializer):
    """Body of a 412 on a criterion score: the value another member saved meanwhile."""

    code = serializers.CharField()
    detail = serializers.CharField()
    current = CriterionScoreSerializer()


class SignatureSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="member.user_id")
    name = serializers.SerializerMethodField()

    class Meta:
        model = GridSignature
        fields = ["member", "user", "name", "signed_at"]
        read_only_fields = fields

    def get_name(self, signature) -> str:
        return person_name(signature.member.user)


class SignerSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="pk")
    user = serializers.IntegerField(source="user_id")
    name = serializers.SerializerMethodField()
    signed = serializers.BooleanField()

    def get_name(self, member) -> str:
        return person_name(member.user)


class GridSerializer(PlannedRepresentation, serializers.ModelSerializer):
    competence_code = serializers.CharField(source="competence.code", read_only=True)
    competence_title = serializers.CharField(source="competence.title", read_only=True)
    candidate_name = serializers.CharField(source="dossier.candidate.full_name", read_only=True)
    proposal_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Grid
        fields = [
            "id",
            "session",
            "dossier",
            "candidate_name",
            "competence",
            "competence_code",
            "competence_title",
            "status",
            "proposal",
            "proposal_justification",
            "proposal_by_name",
            "proposal_at",
            "version",
            "locked_at",
        ]
        read_only_fields = fields

    def get_proposal_by_name(self, grid) -> str:
        return person_name(grid.proposal_by)


class GridDetailSerializer(GridSerializer):
    """A grid with everything a tablet client shows: conditions, criteria with their
    scores, résultats attendus, the accommodation to apply, signatures."""

    modality = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()
    expected_results = serializers.SerializerMethodField()
    accommodation = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()
    signers = serializers.SerializerMethodField()

    class Meta(GridSerializer.Meta):
        fields = [
            *GridSerializer.Meta.fields,
            "modality",
            "conditions",
            "expected_results",
            "accommodation",
            "scores",
            "signatures",
            "signers",
        ]
        read_only_fields = fields

    def _view(self):
        return self.context["view_data"]

    def get_modality(self, grid) -> str:
        return self._view().modality

    def get_conditions(self, grid) -> list[str]:
        return [c.text for c in self._view().conditions]

    def get_expected_results(self, grid) -> list[str]:
        return [r.text for r in self._view().expected_results]

    def get_accommodation(self, grid) -> str:
        return self._view().accommodation

    @extend_schema_field(GridScoreSerializer(many=True))
    def get_scores(self, grid):
        return GridScoreSerializer(self._view().scores, many=True).data

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, grid):
        return SignatureSerializer(self._view().signatures, many=True).data

    @extend_schema_field(SignerSerializer(many=True))
    def get_signers(self, grid):
        view = self._view()
        signed = view.signed_member_ids
        for member in view.signers:
            member.signed = member.pk in signed
        return SignerSerializer(view.signers, many=True).data


class ProposalSerializer(serializers.Serializer):
    proposal = serializers.ChoiceField(choices=Proposal.choices, allow_blank=True)
    justification = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_LONG
    )


class ProposalStateSerializer(serializers.ModelSerializer):
    """The proposal as saved (the ``current`` of a 412 on the proposal)."""

    justification = serializers.CharField(source="proposal_justification", max_length=TEXT_LONG)
    updated_by_name = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(source="proposal_at")

    class Meta:
        model = Grid
        fields = ["proposal", "justification", "version", "updated_by_name", "updated_at"]
        read_only_fields = fields

    def get_updated_by_name(self, grid) -> str:
        return person_name(grid.proposal_by)


class StaleProposalSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    current = ProposalStateSerializer()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OpinionItemSerializer(serializers.ModelSerializer):
    competence_code = serializers.CharField(source="competence.code", read_only=True)
    competence_title = serializers.CharField(source="competence.title", read_only=True)
    value = serializers.ChoiceField(choices=OpinionValue.choices, allow_blank=True)

    class Meta:
        model = CompanyOpinionItem
        fields = ["competence", "competence_code", "competence_title", "value", "comment"]
        extra_kwargs = {"comment": {"required": False, "allow_blank": True}}


class OpinionItemInputSerializer(serializers.Serializer):
    competence = serializers.IntegerField()
    value = serializers.ChoiceField(choices=OpinionValue.choices, allow_blank=True)
    comment = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_SHORT
    )


class CompanyOpinionSerializer(serializers.ModelSerializer):
    items = OpinionItemSerializer(many=True, read_only=True)
    signed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CompanyOpinion
        fields = [
            "id",
            "dossier",
            "company",
            "status",
            "author_capacity",
            "general_comment",
            "unavailable_reason",
            "signed_by",
            "signed_by_name",
            "signed_at",
            "version",
            "items",
        ]
        read_only_fields = fields

    def get_signed_by_name(self, opinion) -> str:
        return person_name(opinion.signed_by)


class GiveOpinionSerializer(serializers.Serializer):
    """Create (POST, with ``dossier``) or update (PATCH, with If-Match) the draft avis."""

    dossier = serializers.PrimaryKeyRelatedField(queryset=Dossier.objects.none())
    author_capacity = serializers.ChoiceField(choices=AuthorCapacity.choices, required=False)
    general_comment = serializers.CharField(allow_blank=True, required=False, max_length=TEXT_LONG)
    items = OpinionItemInputSerializer(many=True, required=False)

    def __init__(self, *args, dossiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossiers is not None:
            self.fields["dossier"].queryset = dossiers


class OpinionUpdateSerializer(GiveOpinionSerializer):
    dossier = None


class UnavailableSerializer(serializers.Serializer):
    dossier = serializers.PrimaryKeyRelatedField(queryset=Dossier.objects.none())
    reason = serializers.CharField(max_length=2000)

    def __init__(self, *args, dossiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossiers is not None:
            self.fields["dossier"].queryset = dossiers
