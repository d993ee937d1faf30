"""Sessions API: sessions, their dossiers, their commission and the members' conflict
declarations."""

from collections import defaultdict

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from candidates.models import Dossier
from centres.roles import Capability
from core.api.filtering import OrderingBackend
from core.api.permissions import has_capability
from core.api.versioning import IF_MATCH, with_etag
from core.api.viewsets import VersionedMixin
from core.http import client_ip
from core.search import french, text_search
from evaluations import services
from evaluations.access import grids_for, sessions_for
from evaluations.api.serializers import (
    AddDossierSerializer,
    AddMemberSerializer,
    CommissionMemberSerializer,
    DeclarationSerializer,
    EvaluationSessionSerializer,
    PresenceSerializer,
    SessionDossierSerializer,
)
from evaluations.models import CommissionMember, EvaluationSession, SessionDossier, SessionStatus
from evaluations.selectors import SESSION_SORT
from evaluations.services.sessions import SESSION_FIELDS

READERS = (Capability.SCHEDULE_EVALUATIONS, Capability.EVALUATE)
STAFF = (Capability.SCHEDULE_EVALUATIONS,)


def permissions_for(*capabilities):
    return [IsAuthenticated(), has_capability(*capabilities)()]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "search", str, description="Intitulé ou lieu (accents et majuscules ignorés)."
            ),
            OpenApiParameter("status", str, enum=SessionStatus.values),
        ]
    ),
    retrieve=extend_schema(responses=EvaluationSessionSerializer),
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
)
class EvaluationSessionViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Evaluation sessions: centre staff see and schedule all of them; an assessor sees
    only the sessions whose commission they sit on."""

    serializer_class = EvaluationSessionSerializer
    filter_backends = [OrderingBackend]
    sort_columns = SESSION_SORT

    def get_permissions(self):
        if self.action in {"list", "retrieve"} or (
            self.action in {"dossiers", "members"} and self.request.method == "GET"
        ):
            return permissions_for(*READERS)
        if self.action == "declarations":
            return permissions_for(Capability.EVALUATE)
        return permissions_for(*STAFF)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EvaluationSession.objects.none()
        qs = sessions_for(self.request.actor).order_by("-starts_at", "-id")
        if self.action != "list":
            return qs
        params = self.request.query_params
        if params.get("status") in SessionStatus.values:
            qs = qs.filter(status=params["status"])
        search = params.get("search", "").strip()
        if search:
            qs = qs.filter(text_search(search, "label", "place"))
        return qs

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.schedule_session(
            request.actor.centre, actor=request.actor, **serializer.validated_data
        )
        data = self.get_serializer(session).data
        return with_etag(Response(data, status=status.HTTP_201_CREATED), session)

    def save_update(self, session, validated_data, version):
        fields = {k: v for k, v in validated_data.items() if k in SESSION_FIELDS}
        return services.update_session(
            session,
            actor=self.request.actor,
            expected_version=version,
            confirm_past=validated_data.get("confirm_past", False),
            **fields,
        )

    def _transition(self, request, service):
        session = self.get_object()
        session = service(session, actor=request.actor)
        return with_etag(Response(EvaluationSessionSerializer(session).data), session)

    @extend_schema(request=None, responses=EvaluationSessionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start the session (the commission has at least the centre's minimum)."""
        return self._transition(request, services.start_session)

    @extend_schema(request=None, responses=EvaluationSessionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the session (every grid of its dossiers in evaluation is signed)."""
        return self._transition(request, services.close_session)

    def _slots(self, session):
        slots = list(
            SessionDossier.objects.filter(session=session)
            .select_related("dossier__candidate", "dossier__company")
            .order_by(french("dossier__candidate__birth_name"), "id")
        )
        grids = defaultdict(list)
        for grid in (  # what the actor may read (access.grids_for: declared candidates only)
            grids_for(self.request.actor)
            .filter(session=session)
            .select_related("competence")
            .order_by("competence__number")
        ):
            grids[grid.dossier_id].append(grid)
        return SessionDossierSerializer(slots, many=True, context={"grids_by_dossier": grids}).data

    @extend_schema(methods=["GET"], request=None, responses=SessionDossierSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=AddDossierSerializer,
        responses={201: SessionDossierSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def dossiers(self, request, pk=None):
        """GET: the dossiers evaluated during the session, with their grids. POST (staff):
        add a dossier (agreed or in evaluation); an agreed dossier moves to evaluation."""
        session = self.get_object()
        if request.method == "POST":
            body = AddDossierSerializer(data=request.data, dossiers=Dossier.objects.all())
            body.is_valid(raise_exception=True)
            services.add_dossier(session, body.validated_data["dossier"], actor=request.actor)
            return Response(self._slots(session), status=status.HTTP_201_CREATED)
        return Response(self._slots(session))

    @extend_schema(methods=["GET"], request=None, responses=CommissionMemberSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AddMemberSerializer, responses={201: CommissionMemberSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def members(self, request, pk=None):
        """GET: the commission. POST (staff): seat an assessor of the centre (conflicts
        with the session's candidates are refused) and grant them the session."""
        session = self.get_object()
        if request.method == "POST":
            body = AddMemberSerializer(data=request.data, centre=request.actor.centre)
            body.is_valid(raise_exception=True)
            member = services.add_member(session, body.validated_data["user"], actor=request.actor)
            return Response(CommissionMemberSerializer(member).data, status=status.HTTP_201_CREATED)
        members = CommissionMember.objects.filter(session=session).select_related("user")
        return Response(CommissionMemberSerializer(members.order_by("id"), many=True).data)

    @extend_schema(request=DeclarationSerializer, responses={201: DeclarationSerializer})
    @action(detail=True, methods=["post"])
    def declarations(self, request, pk=None):
        """The acting member signs their conflict-of-interest declaration for one of the
        session's candidates. ``statement`` must contain the candidate's full name and
        "Je déclare n'avoir aucun lien" (or its English translation, "I declare that I have
        no connection", whatever the language of the request); a declared (or detected) link
        is recorded and answered 400 ``conflict_of_interest`` with the reason."""
        session = self.get_object()
        body = DeclarationSerializer(data=request.data, session=session)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        declaration = services.sign_declaration(
            session,
            data["dossier"],
            actor=request.actor,
            statement=data.get("statement", ""),
            declared_link=data["declared_link"],
            link_details=data.get("link_details", ""),
            ip=client_ip(request),
        )
        return Response(DeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)


class CommissionMemberViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A seat on a commission (centre staff): take it back, or record presence."""

    serializer_class = CommissionMemberSerializer

    def get_permissions(self):
        return permissions_for(*STAFF)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CommissionMember.objects.none()
        return CommissionMember.objects.filter(
            session__in=sessions_for(self.request.actor)
        ).select_related("session", "user")

    def perform_destroy(self, member):
        services.remove_member(member, actor=self.request.actor)

    @extend_schema(request=PresenceSerializer, responses=CommissionMemberSerializer)
    @action(detail=True, methods=["post"])
    def presence(self, request, pk=None):
        """Record whether the member is present (only present members sign the grids)."""
        member = self.get_object()
        body = PresenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.set_presence(member, body.validated_data["present"], actor=request.actor)
        return Response(CommissionMemberSerializer(member).data)
