"""The jury API: votes and decisions (``/api/v1/jury-votes/``, ``/api/v1/jury-decisions/``)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from centres.roles import Capability
from core.api.permissions import ActorCan
from core.listing import SortColumns
from core.search import french, text_search
from juries import services
from juries.access import (
    decisions_for,
    get_decision_for_user,
    get_item_for_user,
    get_session_for_user,
    items_for,
)
from juries.api.common import ERROR, TAG
from juries.api.serializers import (
    DecisionSerializer,
    ResitSerializer,
    RevokeSerializer,
    VoteSerializer,
)
from juries.api.views import READERS, STAFF, _verb
from juries.models import (
    Decision,
    DecisionCompetence,
    Outcome,
    Vote,
)


class VoteFilter(filters.FilterSet):
    item = filters.NumberFilter(field_name="item_id", label=_("dossier à l'ordre du jour"))
    session = filters.NumberFilter(field_name="item__session_id", label=_("séance"))

    class Meta:
        model = Vote
        fields = ["item", "session"]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Votes des séances")),
    create=extend_schema(
        tags=[TAG],
        summary=_("Voter sur une compétence (ou changer son vote)"),
        responses={201: VoteSerializer, 400: ERROR},
    ),
)
class VoteViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = VoteSerializer
    permission_classes = [ActorCan]
    filterset_class = VoteFilter

    def required_capabilities(self):
        return READERS if self.action == "list" else (Capability.DELIBERATE,)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vote.objects.none()
        return (
            Vote.objects.filter(item__in=items_for(self.request.actor))
            .select_related("competence")
            .order_by("item_id", "competence__number", "member_id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = get_item_for_user(request.actor, data["item"].session_id, data["item"].pk)
        vote = services.cast_vote(item, data["competence"], data["value"], actor=request.actor)
        vote = self.get_queryset().get(pk=vote.pk)
        return Response(self.get_serializer(vote).data, status=status.HTTP_201_CREATED)


class DecisionFilter(filters.FilterSet):
    session = filters.NumberFilter(field_name="item__session_id", label=_("séance"))
    outcome = filters.ChoiceFilter(choices=Outcome.choices, label=_("décision"))
    revoked = filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", exclude=True, label=_("révoquée")
    )
    q = filters.CharFilter(method="search", label=_("Rechercher"))

    class Meta:
        model = Decision
        fields = ["session", "outcome", "revoked", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            text_search(
                value,
                "dossier__candidate__birth_name",
                "dossier__candidate__usage_name",
                "dossier__candidate__first_names",
            )
        )


DECISION_SORT = SortColumns(
    "-decided",
    decided="decided_at",
    outcome=("outcome", "-decided_at"),
    candidate=(french("dossier__candidate__birth_name"), french("dossier__candidate__first_names")),
)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Décisions des jurys")),
    retrieve=extend_schema(tags=[TAG], summary=_("Une décision")),
)
class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DecisionSerializer
    permission_classes = [ActorCan]
    filterset_class = DecisionFilter
    sort_columns = DECISION_SORT

    def required_capabilities(self):
        if self.action in {"revoke", "resit"}:
            return STAFF
        return (*READERS, Capability.VIEW_CENTRE)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        return (
            decisions_for(self.request.actor)
            .select_related("item", "dossier__candidate")
            .prefetch_related(
                Prefetch(
                    "competences",
                    queryset=DecisionCompetence.objects.select_related("competence").order_by(
                        "competence__number"
                    ),
                ),
                "validated_blocs",
            )
            .order_by("-decided_at", "-id")
        )

    def get_object(self):
        write = self.action in {"revoke", "resit"}
        decision = get_decision_for_user(self.request.actor, self.kwargs["pk"], write=write)
        return self.get_queryset().get(pk=decision.pk)

    @_verb(
        _("Révoquer une décision figée (motif obligatoire)"), RevokeSerializer, DecisionSerializer
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        decision = self.get_object()
        payload = RevokeSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        later = payload.validated_data.get("later_session")
        if later is not None:
            later = get_session_for_user(request.actor, later.pk, write=True)
        services.revoke_decision(
            decision,
            reason=payload.validated_data["reason"],
            later_session=later,
            actor=request.actor,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=decision.pk)).data)

    @_verb(
        _("Ouvrir un nouveau passage après une validation partielle"),
        None,
        ResitSerializer,
        success=201,
    )
    @action(detail=True, methods=["post"])
    def resit(self, request, pk=None):
        dossier = services.open_resit(self.get_object(), actor=request.actor)
        return Response({"dossier": dossier.pk}, status=status.HTTP_201_CREATED)
