"""Grids API: the grid with its criteria and scores (ETag), criterion scores with
If-Match (412 stale with the other member's value, 428 without a version), the proposal,
signatures and reopening."""

import re

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from centres.roles import Capability
from core.api.filtering import integer_param
from core.api.versioning import expected_version, with_etag
from core.http import client_ip
from evaluations import services
from evaluations.access import DeclarationRequired, assigned_grids_for, grids_for, raise_unreadable
from evaluations.api.serializers import (
    CriterionScoreSerializer,
    GridDetailSerializer,
    GridSerializer,
    ProposalSerializer,
    ProposalStateSerializer,
    ReasonSerializer,
    StaleProposalSerializer,
    StaleScoreSerializer,
    criterion_score_data,
)
from evaluations.api.sessions import READERS, STAFF, permissions_for
from evaluations.errors import StaleScoreError, StaleVersionError
from evaluations.models import CriterionScore, Grid, GridStatus, ScoreState
from evaluations.selectors import grid_view
from evaluations.services.scores import autosave_score

IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="Version connue (valeur de l'ETag, ex. \"3\"). 412 si elle n'est plus à jour, "
    "428 si elle manque.",
)
STALE = OpenApiResponse(
    StaleScoreSerializer,
    description="Version périmée : un autre membre a modifié entre-temps ; ``current`` "
    "donne sa valeur.",
)


def refuse_unreadable(actor, grid_pk) -> None:
    """A grid of one of the actor's sessions that they may not read: 403 worded by their
    declaration (``declaration_required`` / ``conflict_of_interest``); any other: 404."""
    try:
        raise_unreadable(actor, grid_pk)
    except DeclarationRequired as refusal:
        raise PermissionDenied(refusal.message, code=refusal.code) from None


def readable_object(view, pk):
    """``view.get_object()`` from a queryset built on ``grids_for`` (what the actor may read:
    staff, or a member with an accepted declaration for the candidate)."""
    try:
        return view.get_object()
    except Http404:
        refuse_unreadable(view.request.actor, pk)
        raise


def refuse_unreadable_score(actor, pk) -> None:
    """As :func:`refuse_unreadable`, for a criterion score of such a grid."""
    pk = str(pk or "")
    if not (pk.isascii() and pk.isdigit()) or int(pk) > MAX_ID:
        return
    grid_id = (
        CriterionScore.objects.filter(pk=int(pk), grid__in=assigned_grids_for(actor))
        .values_list("grid_id", flat=True)
        .first()
    )
    if grid_id is not None:
        refuse_unreadable(actor, grid_id)


def grid_queryset(actor, *, readable=True):
    """``readable``: the grids the actor may read (every read); otherwise the grids of their
    sessions, for the writes, whose services refuse a member without an accepted
    declaration (``declaration_required`` / ``conflict_of_interest``)."""
    grids = grids_for(actor) if readable else assigned_grids_for(actor)
    return grids.select_related(
        "session__centre",
        "dossier__candidate",
        "dossier__company",
        "competence",
        "proposal_by",
    )


def grid_list_queryset(actor):
    """The grids as ``GridSerializer`` reads them: no join on the session (only its id is
    shown; joining it made PostgreSQL merge-join every session of the country for each
    page) and only the columns shown."""
    return (
        grids_for(actor)
        .select_related("dossier__candidate", "competence", "proposal_by")
        .only(
            "id",
            "session",
            "dossier__candidate__birth_name",
            "dossier__candidate__usage_name",
            "dossier__candidate__first_names",
            "dossier__candidate__sex",
            "competence__code",
            "competence__title",
            "status",
            "proposal",
            "proposal_justification",
            "proposal_by__username",
            "proposal_by__first_name",
            "proposal_by__last_name",
            "proposal_at",
            "version",
            "locked_at",
        )
        .order_by("-session_id", "-dossier_id", "competence__number")
    )


def detail_response(grid, *, status_code=status.HTTP_200_OK):
    data = GridDetailSerializer(grid, context={"view_data": grid_view(grid)}).data
    return with_etag(Response(data, status=status_code), grid)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("session", int),
            OpenApiParameter("dossier", int),
            OpenApiParameter("status", str, enum=GridStatus.values),
        ]
    ),
    retrieve=extend_schema(responses=GridDetailSerializer),
)
class GridViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Scoring grids (one per dossier × competence to evaluate). Staff see every grid of the
    centre; an assessor, the grids of their sessions (after signing their declaration)."""

    serializer_class = GridSerializer
    filter_backends = []

    def get_permissions(self):
        if self.action in {"list", "retrieve"}:
            return permissions_for(*READERS)
        if self.action == "reopen":
            return permissions_for(*STAFF)
        return permissions_for(Capability.EVALUATE)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Grid.objects.none()
        # Newest sessions first by id (not through the session's and dossier's default
        # orderings, which join and sort every grid of the centre for each page): served by
        # the index grid_centre_session_dossier (migration 0002), top-N without a full sort.
        if self.action != "list":
            readable = self.action == "retrieve"
            return grid_queryset(self.request.actor, readable=readable).order_by(
                "-session_id", "-dossier_id", "competence__number"
            )
        qs = grid_list_queryset(self.request.actor)
        params = self.request.query_params
        for name in ("session", "dossier"):
            value = integer_param(params, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        if params.get("status") in GridStatus.values:
            qs = qs.filter(status=params["status"])
        return qs

    def retrieve(self, request, *args, **kwargs):
        return detail_response(readable_object(self, kwargs.get("pk")))

    @extend_schema(
        request=ProposalSerializer,
        parameters=[IF_MATCH_REQUIRED],
        responses={
            200: GridDetailSerializer,
            412: OpenApiResponse(
                StaleProposalSerializer,
                description="Version périmée : ``current`` donne la proposition enregistrée.",
            ),
        },
    )
    @action(detail=True, methods=["put"])
    def proposal(self, request, pk=None):
        """The commission's proposal for the competence (``acquise`` / ``non_acquise`` with a
        justification, or "" to withdraw it). If-Match: the grid's version."""
        grid = self.get_object()
        version = expected_version(request)
        body = ProposalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            grid = services.set_proposal(
                grid,
                body.validated_data["proposal"],
                body.validated_data.get("justification", ""),
                expected_version=version,
                actor=request.actor,
            )
        except StaleVersionError as exc:
            current = self.get_queryset().get(pk=grid.pk)
            data = {"code": exc.code, "detail": str(exc.message)}
            data["current"] = ProposalStateSerializer(current).data
            return with_etag(Response(data, status=status.HTTP_412_PRECONDITION_FAILED), current)
        return detail_response(self.get_queryset().get(pk=grid.pk))

    @extend_schema(request=None, responses=GridDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The acting member signs the complete grid; it is locked once every present member
        allowed on the candidate has signed."""
        grid = self.get_object()
        services.sign_grid(grid, actor=request.actor, ip=client_ip(request))
        return detail_response(self.get_queryset().get(pk=grid.pk))

    @extend_schema(request=ReasonSerializer, responses=GridDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Centre staff reopen a signed grid, with a reason (audited)."""
        grid = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reopen_grid(grid, actor=request.actor, reason=body.validated_data["reason"])
        return detail_response(self.get_queryset().get(pk=grid.pk))


SCORE_TEXT_FIELDS = ("comment", "justification")
MAX_ID = 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain_text(value) -> bool:
    """A string ``CharField`` takes as it is (then stripped): no NUL, no lone surrogate."""
    return (
        type(value) is str
        and "\x00" not in value
        and (value.isascii() or _SURROGATE.search(value) is None)
    )


def autosave_changes(data) -> dict | None:
    """The fields of a score write, when ``CriterionScoreSerializer`` would take them as they
    are (a JSON object; ``state`` a known value or ""; texts plain strings): read-only and
    unknown keys are ignored, as the serializer does. ``None``: let the serializer answer."""
    if type(data) is not dict:
        return None
    changes = {}
    if "state" in data:
        state = data["state"]
        if type(state) is not str or (state and state not in ScoreState.values):
            return None
        changes["state"] = state
    for name in SCORE_TEXT_FIELDS:
        if name in data:
            if not _plain_text(data[name]):
                return None
            text = data[name].strip()
            if len(text) > CriterionScore._meta.get_field(name).max_length:
                return None  # too long: the serializer refuses it with its message (400)
            changes[name] = text
    return changes


@extend_schema_view(
    retrieve=extend_schema(responses=CriterionScoreSerializer),
    update=extend_schema(
        parameters=[IF_MATCH_REQUIRED],
        responses={200: CriterionScoreSerializer, 412: STALE},
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH_REQUIRED],
        responses={200: CriterionScoreSerializer, 412: STALE},
    ),
)
class CriterionScoreViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """One criterion of a grid: ``state`` (satisfied / not_satisfied / not_applicable, or ""),
    ``comment``, ``justification`` (required for not_applicable unless the criterion is
    conditional). Writes need If-Match with the score's version: 412 when another member
    changed it meanwhile (the body's ``current`` shows their value), 428 when missing.

    Writes are the tablet's autosave: their common outcomes go through
    ``services.scores.autosave_score`` (two statements, the response built from the values it
    read or wrote); anything else (no If-Match header, a body the serializer must judge, a
    refusal) takes the general path below, which words every error."""

    serializer_class = CriterionScoreSerializer

    def get_permissions(self):
        if self.action == "retrieve":
            return permissions_for(*READERS)
        return permissions_for(Capability.EVALUATE)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CriterionScore.objects.none()
        actor = self.request.actor
        # reads: the grids the actor may read; writes: their sessions' (the services judge)
        grids = grids_for(actor) if self.action == "retrieve" else assigned_grids_for(actor)
        return CriterionScore.objects.filter(grid__in=grids).select_related(
            "criterion", "updated_by", "grid__session"
        )

    def retrieve(self, request, *args, **kwargs):
        try:
            score = self.get_object()
        except Http404:
            refuse_unreadable_score(request.actor, kwargs.get("pk"))
            raise
        return with_etag(Response(self.get_serializer(score).data), score)

    def update(self, request, *args, **kwargs):
        response = self._autosave(request, kwargs.get(self.lookup_field, ""))
        if response is not None:
            return response
        partial = kwargs.pop("partial", False)
        score = self.get_object()
        version = expected_version(request)
        body = self.get_serializer(score, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            score = services.score_criterion(
                score.grid,
                score.criterion_id,
                data.get("state", score.state),
                data.get("comment", score.comment),
                data.get("justification", score.justification),
                expected_version=version,
                actor=request.actor,
            )
        except StaleScoreError as exc:
            current = exc.current
            body = {
                "code": exc.code,
                "detail": str(exc.message),
                "current": CriterionScoreSerializer(current).data,
            }
            return with_etag(Response(body, status=status.HTTP_412_PRECONDITION_FAILED), current)
        return with_etag(Response(self.get_serializer(score).data), score)

    def _autosave(self, request, pk):
        """The fast path of a write (see the class); ``None`` when the general one decides."""
        pk = str(pk)
        if not request.headers.get("If-Match", "").strip() or not (pk.isascii() and pk.isdigit()):
            return None  # 428 / 404 are answered (in their order) by the general path
        if int(pk) > MAX_ID:
            return None  # not a bigint: never compared as numeric (no index) in raw SQL
        changes = autosave_changes(request.data)
        if changes is None:
            return None
        saved = autosave_score(
            request.actor, int(pk), expected_version=expected_version(request), **changes
        )
        if saved is None:
            return None
        data = criterion_score_data(saved.score)
        if saved.stale:
            error = StaleScoreError(None)
            data = {"code": error.code, "detail": str(error.message), "current": data}
            response = Response(data, status=status.HTTP_412_PRECONDITION_FAILED)
        else:
            response = Response(data)
        return with_etag(response, saved)
