"""Tenancy API: who am I, companies, memberships, invitations, centre settings.

Querysets come from the access helpers (``centres.access``), already restricted to the
active centre by the request scope; writes go through ``centres.services``.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from centres import services
from centres.access import companies_for, invitations_for, memberships_for
from centres.api.serializers import (
    CentreSettingsSerializer,
    CompanySerializer,
    InvitationSerializer,
    MembershipDeactivateSerializer,
    MembershipSerializer,
    MeSerializer,
)
from centres.models import Centre, Company, Invitation, Membership
from centres.roles import Capability, Role
from centres.sorting import COMPANY_SORT, INVITATION_SORT, USER_SORT
from core.api.filtering import OrderingBackend, SearchBackend
from core.api.permissions import has_capability
from core.api.versioning import IF_MATCH, with_etag
from core.api.viewsets import VersionedMixin
from core.search import text_search


class MeView(GenericAPIView):
    """The authenticated user, their roles in every centre, the active centre and what
    they may do there (choose the centre with the ``X-Centre`` header)."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer
    pagination_class = None

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        actor = request.actor
        user = request.user
        memberships = list(  # a user's own roles, across the centres they belong to
            Membership.all_centres.filter(user=user, is_active=True)
            .select_related("centre", "company")
            .order_by("centre__name", "role")
        )
        data = {
            "user": user,
            "is_national_admin": user.is_national_admin,
            "active_centre": actor.centre,
            "roles": sorted(actor.roles),
            "capabilities": sorted(actor.capabilities),
            "memberships": memberships,
        }
        return Response(MeSerializer(data).data)


@extend_schema_view(
    retrieve=extend_schema(responses=CompanySerializer),
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
)
class CompanyViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Companies of the active centre. A company representative sees only their own."""

    serializer_class = CompanySerializer
    filter_backends = [SearchBackend, OrderingBackend]
    search_fields = ["name", "siret", "city"]
    search_description = "Raison sociale, SIRET ou ville (accents et majuscules ignorés)."
    sort_columns = COMPANY_SORT

    def get_permissions(self):
        if self.action in {"list", "retrieve"}:
            caps = (Capability.VIEW_CENTRE, Capability.GIVE_COMPANY_OPINION)
        else:
            caps = (Capability.MANAGE_COMPANIES,)
        return [IsAuthenticated(), has_capability(*caps)()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request actor
            return Company.objects.none()
        return companies_for(self.request.actor).order_by(*COMPANY_SORT.order_by(None))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        company = services.create_company(
            request.actor.centre, actor=request.user, **serializer.validated_data
        )
        data = self.get_serializer(company).data
        return with_etag(Response(data, status=status.HTTP_201_CREATED), company)

    def save_update(self, company, validated_data, version):
        return services.update_company(
            company, actor=self.request.user, expected_version=version, **validated_data
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Nom, identifiant ou adresse."),
            OpenApiParameter("role", str, enum=Role.values),
            OpenApiParameter("is_active", bool),
        ]
    )
)
class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Roles of people in the active centre (capability manage_users)."""

    serializer_class = MembershipSerializer
    filter_backends = [OrderingBackend]
    sort_columns = USER_SORT

    def get_permissions(self):
        return [IsAuthenticated(), has_capability(Capability.MANAGE_USERS)()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        qs = memberships_for(self.request.actor).order_by(*USER_SORT.order_by(None))
        if self.action != "list":
            return qs
        params = self.request.query_params
        if params.get("role") in Role.values:
            qs = qs.filter(role=params["role"])
        if params.get("is_active") in {"true", "false"}:
            qs = qs.filter(is_active=params["is_active"] == "true")
        search = params.get("search", "").strip()
        if search:
            qs = qs.filter(
                text_search(
                    search, "user__first_name", "user__last_name", "user__username", "user__email"
                )
            )
        return qs

    @extend_schema(request=MembershipDeactivateSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        membership = self.get_object()
        body = MembershipDeactivateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.deactivate_membership(
            membership, actor=request.user, reason=body.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=membership.pk)).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        membership = self.get_object()
        membership = services.reactivate_membership(membership, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=membership.pk)).data)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("status", str, enum=["pending", "all"])])
)
class InvitationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Invitations of the active centre (capability manage_users). The link itself is only
    ever sent by e-mail to the invited address."""

    serializer_class = InvitationSerializer
    filter_backends = [OrderingBackend]
    sort_columns = INVITATION_SORT

    def get_permissions(self):
        return [IsAuthenticated(), has_capability(Capability.MANAGE_USERS)()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        qs = invitations_for(self.request.actor).order_by("-created_at", "-id")
        if self.action == "list" and self.request.query_params.get("status", "pending") != "all":
            qs = qs.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
        return qs

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.invite_user(
            self.request.actor.centre,
            email=data["email"],
            role=data["role"],
            company=data.get("company"),
            actor=self.request.user,
        )

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = self.get_object()
        invitation = services.revoke_invitation(invitation, actor=request.user)
        return Response(self.get_serializer(invitation).data, status=status.HTTP_200_OK)


class CentreSettingsView(VersionedMixin, GenericAPIView):
    """The active centre's settings (capability manage_settings). ``PATCH`` needs the
    version in ``If-Match`` (ETag of the ``GET``); 412 when someone saved in between."""

    serializer_class = CentreSettingsSerializer
    pagination_class = None

    def get_permissions(self):
        return [IsAuthenticated(), has_capability(Capability.MANAGE_SETTINGS)()]

    def get_object(self):
        return Centre.objects.get(pk=self.request.actor.centre.pk)

    @extend_schema(responses=CentreSettingsSerializer, operation_id="centre_settings_retrieve")
    def get(self, request):
        return self.retrieve(request)

    @extend_schema(
        request=CentreSettingsSerializer,
        responses=CentreSettingsSerializer,
        parameters=[IF_MATCH],
        operation_id="centre_settings_partial_update",
    )
    def patch(self, request):
        return self.update(request, partial=True)

    def save_update(self, centre, validated_data, version):
        return services.update_centre_settings(
            centre, actor=self.request.user, expected_version=version, **validated_data
        )
