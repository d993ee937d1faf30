"""Juries API: sessions (with their transitions as verb endpoints), members, agenda,
votes, decisions and their revocation. Querysets come from ``juries.access``; every write
goes through ``juries.services``."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from centres.access import get_object_or_404_scoped
from centres.roles import Capability
from core.api.permissions import ActorCan
from core.api.versioning import IF_MATCH, expected_version
from core.api.viewsets import VersionedMixin
from core.http import client_ip
from core.listing import SortColumns
from core.search import french, text_search
from juries import services
from juries.access import (
    get_item_for_user,
    get_member_for_user,
    get_session_for_user,
    is_convener,
    items_for,
    member_for,
    sessions_for,
)
from juries.api.common import ERROR, TAG
from juries.api.dossier_file import DossierFileMixin
from juries.api.serializers import (
    AbsentSerializer,
    AgendaItemSerializer,
    AttendanceSerializer,
    CloseSerializer,
    ConflictSerializer,
    DeliberateSerializer,
    InvitationsSerializer,
    JuryMemberSerializer,
    JurySessionSerializer,
    MinutesSerializer,
    MinutesSignatureSerializer,
    RegularitySerializer,
    SignSerializer,
)
from juries.models import (
    AgendaItem,
    Attendance,
    JuryMember,
    JurySession,
    MinutesSignature,
    SessionStatus,
)
from juries.services.signing import minutes_to_sign
from juries.views.common import presides

READERS = (Capability.CONVENE_JURIES, Capability.DELIBERATE)
SESSION_COLUMNS = (
    "id",
    "qualification__title",
    "label",
    "starts_at",
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
)
STAFF = (Capability.CONVENE_JURIES,)


def _verb(summary, request=None, response=None, *, success=200):
    """A verb's schema; If-Match, 412 and the other error statuses are added where they
    apply by ``core.api.schema`` (from the handler: does it read the version?)."""
    return extend_schema(
        tags=[TAG],
        summary=summary,
        request=request,
        responses={success: response, 400: ERROR, 404: ERROR},
    )


class SessionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=SessionStatus.choices, label=_("état"))
    qualification = filters.NumberFilter(field_name="qualification_id", label=_("CQPM"))
    q = filters.CharFilter(method="search", label=_("Rechercher"))

    class Meta:
        model = JurySession
        fields = ["status", "qualification", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(text_search(value, "label", "place", "qualification__title"))


# the columns of the sessions page (juries.views.sessions) that the API shows
SESSION_SORT = SortColumns(
    "-date",
    date="starts_at",
    qualification=(french("qualification__title"), "starts_at"),
    place=(french("place"), "starts_at"),
    status=("status", "starts_at"),
)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Séances de jury")),
    retrieve=extend_schema(tags=[TAG], summary=_("Une séance de jury")),
    create=extend_schema(tags=[TAG], summary=_("Planifier une séance")),
    update=extend_schema(tags=[TAG], parameters=[IF_MATCH]),
    partial_update=extend_schema(tags=[TAG], parameters=[IF_MATCH]),
)
class JurySessionViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Centre staff see and manage every session of their centre; a juror sees the
    sessions they sit in."""

    serializer_class = JurySessionSerializer
    permission_classes = [ActorCan]
    filterset_class = SessionFilter
    sort_columns = SESSION_SORT

    def required_capabilities(self):
        if self.action in {"list", "retrieve", "sign", "minutes"}:
            return READERS if self.action != "sign" else (Capability.DELIBERATE,)
        if self.action == "close":
            return READERS
        return STAFF

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JurySession.objects.none()
        # Only what ``JurySessionSerializer`` shows (of the CQPM, its title): the list, the
        # detail and the answer of every write read the session through here.
        return (
            sessions_for(self.request.actor)
            .select_related("qualification")
            .only(*SESSION_COLUMNS)
            .order_by("-starts_at", "-id")
        )

    def get_object(self):
        write = self.action not in {"retrieve", "close", "sign", "minutes"}
        session = get_session_for_user(self.request.actor, self.kwargs["pk"], write=write)
        return session

    def fetch_for_response(self, session):
        return self.get_queryset().get(pk=session.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.create_session(
            request.actor.centre, actor=request.actor, **serializer.validated_data
        )
        return self.versioned_response(session, status.HTTP_201_CREATED)

    def save_update(self, session, validated_data, version):
        services.update_session(
            session, actor=self.request.actor, expected_version=version, **validated_data
        )
        return session

    @_verb(_("Enregistrer l'envoi des convocations"), InvitationsSerializer, JurySessionSerializer)
    @action(detail=True, methods=["post"])
    def invitations(self, request, pk=None):
        session = self.get_object()
        payload = InvitationsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.record_invitations(
            session,
            actor=request.actor,
            reason=payload.validated_data["reason"],
            justification=payload.validated_data["justification"],
        )
        return self.versioned_response(session)

    @_verb(_("Ouvrir la séance"), None, JurySessionSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open_session(self, request, pk=None):
        session = self.get_object()
        services.open_session(
            session,
            actor=request.actor,
            expected_version=expected_version(request, required=False),
        )
        return self.versioned_response(session)

    @_verb(_("Commencer la délibération"), DeliberateSerializer, JurySessionSerializer)
    @action(detail=True, methods=["post"])
    def deliberate(self, request, pk=None):
        session = self.get_object()
        payload = DeliberateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.start_deliberation(
            session,
            actor=request.actor,
            expected_version=expected_version(request, required=False),
            imbalance_reason=payload.validated_data["imbalance_reason"] or None,
        )
        return self.versioned_response(session)

    @_verb(_("Clore la séance et figer les décisions"), CloseSerializer, JurySessionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        session = self.get_object()
        if not presides(request.actor, session):
            raise PermissionDenied
        payload = CloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.close_session(
            session,
            actor=request.actor,
            expected_version=expected_version(request, required=False),
            observations=payload.validated_data.get("observations"),
        )
        return self.versioned_response(session)

    @extend_schema(
        tags=[TAG],
        summary=_("Le procès-verbal à signer : son empreinte SHA-256 et ses signatures"),
        responses={200: MinutesSerializer, 404: ERROR},
    )
    @action(detail=True, methods=["get"])
    def minutes(self, request, pk=None):
        session = self.get_object()
        document = minutes_to_sign(session) if session.is_closed else None
        ready = document is not None and document.is_ready
        signatures = (
            MinutesSignature.objects.filter(session=session)
            .select_related("member__user")
            .order_by("signed_at", "id")
        )
        payload = {
            "document": document.pk if document else None,
            "ready": ready,
            "sha256": document.sha256 if ready else "",
            "download_url": reverse("documents:download", args=[document.pk]) if ready else "",
            "present": session.members.filter(attendance=Attendance.PRESENT).count(),
            "signatures": list(signatures),
        }
        return Response(MinutesSerializer(payload).data)

    @_verb(
        _("Signer le procès-verbal (membre présent, qui confirme son identité)"),
        SignSerializer,
        MinutesSignatureSerializer,
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        session = self.get_object()
        if member_for(request.actor, session) is None:
            raise PermissionDenied
        payload = SignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        signature = services.sign_minutes(
            session,
            actor=request.actor,
            password=payload.validated_data["password"],
            otp=payload.validated_data.get("otp", ""),
            document_sha256=payload.validated_data["document_sha256"],
            ip=client_ip(request),
        )
        return Response(MinutesSignatureSerializer(signature).data)


class MemberFilter(filters.FilterSet):
    session = filters.NumberFilter(field_name="session_id", label=_("séance"))

    class Meta:
        model = JuryMember
        fields = ["session"]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Membres des jurys")),
    retrieve=extend_schema(tags=[TAG], summary=_("Un membre du jury")),
    create=extend_schema(tags=[TAG], summary=_("Convoquer un juré")),
    partial_update=extend_schema(tags=[TAG], summary=_("Modifier un membre")),
    update=extend_schema(tags=[TAG], summary=_("Modifier un membre")),
    destroy=extend_schema(tags=[TAG], summary=_("Retirer un membre")),
)
class JuryMemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = JuryMemberSerializer
    permission_classes = [ActorCan]
    filterset_class = MemberFilter

    def required_capabilities(self):
        return READERS if self.action in {"list", "retrieve"} else STAFF

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JuryMember.objects.none()
        return (
            JuryMember.objects.filter(session__in=sessions_for(self.request.actor))
            .select_related("user", "company")
            .order_by("session_id", "-is_president", "college", "id")
        )

    def get_object(self):
        member = get_object_or_404_scoped(self.get_queryset(), pk=self.kwargs["pk"])
        if self.action != "retrieve":
            member = get_member_for_user(self.request.actor, member.session, member.pk)
        return member

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        session = get_session_for_user(self.request.actor, data.pop("session").pk, write=True)
        serializer.instance = services.add_member(
            session, data.pop("user"), actor=self.request.actor, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_member(
            serializer.instance, actor=self.request.actor, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.remove_member(instance, actor=self.request.actor)

    @_verb(_("Désigner le président (collège employeurs)"), None, JuryMemberSerializer)
    @action(detail=True, methods=["post"])
    def president(self, request, pk=None):
        member = services.set_president(self.get_object(), actor=request.actor)
        return Response(self.get_serializer(member).data)

    @_verb(_("Enregistrer la présence"), AttendanceSerializer, JuryMemberSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        payload = AttendanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        member = services.set_attendance(
            self.get_object(), payload.validated_data["attendance"], actor=request.actor
        )
        return Response(self.get_serializer(member).data)


class AgendaFilter(filters.FilterSet):
    session = filters.NumberFilter(field_name="session_id", label=_("séance"))

    class Meta:
        model = AgendaItem
        fields = ["session"]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Ordre du jour des séances")),
    retrieve=extend_schema(tags=[TAG], summary=_("Un dossier à l'ordre du jour")),
    create=extend_schema(tags=[TAG], summary=_("Inscrire un dossier à l'ordre du jour")),
    destroy=extend_schema(tags=[TAG], summary=_("Retirer un dossier de l'ordre du jour")),
)
class AgendaItemViewSet(
    DossierFileMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AgendaItemSerializer
    permission_classes = [ActorCan]
    filterset_class = AgendaFilter

    def required_capabilities(self):
        if self.action in {"create", "destroy"}:
            return STAFF
        return READERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgendaItem.objects.none()
        return (
            items_for(self.request.actor)
            .select_related("dossier__candidate", "regularity", "decision")
            .order_by("session_id", "position", "id")
        )

    def get_object(self):
        item = get_object_or_404_scoped(self.get_queryset(), pk=self.kwargs["pk"])
        return get_item_for_user(self.request.actor, item.session_id, item.pk)

    def _respond(self, item, status_code=status.HTTP_200_OK):
        item = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(item).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        session = get_session_for_user(request.actor, data["session"].pk, write=True)
        item = services.add_to_agenda(session, data["dossier"], actor=request.actor)
        return self._respond(item, status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        get_session_for_user(self.request.actor, instance.session_id, write=True)
        services.remove_from_agenda(instance, actor=self.request.actor)

    @_verb(_("Enregistrer le contrôle de régularité"), RegularitySerializer, AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def regularity(self, request, pk=None):
        item = self.get_object()
        if not presides(request.actor, item.session):
            raise PermissionDenied
        payload = RegularitySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.record_regularity(
            item,
            regular=payload.validated_data["regular"],
            comment=payload.validated_data["comment"],
            actor=request.actor,
        )
        return self._respond(item)

    @_verb(
        _("Enregistrer l'absence (ou la présence) du candidat"),
        AbsentSerializer,
        AgendaItemSerializer,
    )
    @action(detail=True, methods=["post"])
    def absent(self, request, pk=None):
        item = self.get_object()
        if not presides(request.actor, item.session):
            raise PermissionDenied
        payload = AbsentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.set_candidate_absent(item, payload.validated_data["absent"], actor=request.actor)
        return self._respond(item)

    @_verb(
        _("Déclarer un lien entre un membre et le candidat"),
        ConflictSerializer,
        AgendaItemSerializer,
    )
    @action(detail=True, methods=["post"])
    def conflicts(self, request, pk=None):
        item = self.get_object()
        payload = ConflictSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if is_convener(request.actor):
            member = get_object_or_404_scoped(
                JuryMember.objects.filter(session_id=item.session_id), pk=data.get("member")
            )
        else:
            member = member_for(request.actor, item.session)
            if member is None:
                raise PermissionDenied
        services.declare_conflict(
            item, member, kind=data["kind"], details=data["details"], actor=request.actor
        )
        return self._respond(item)
