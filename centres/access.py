"""Who is acting, in which centre, with which capabilities; and the access helpers.

Access helpers return 404 when an object is missing *or* belongs to someone else, and 403
only when the object is visible but the action is not allowed (healthchecks, Zulip).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from centres.models import Centre, Company, Invitation, Membership
from centres.roles import Capability, Role, capabilities_for

ACTIVE_CENTRE_SESSION_KEY = "active_centre_id"


@dataclass(frozen=True)
class Actor:
    """The acting user in their active centre (what the middleware puts on ``request``)."""

    user: object
    centre: Centre | None = None
    roles: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()
    company_ids: frozenset[int] = frozenset()
    centres: tuple[Centre, ...] = field(default_factory=tuple)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_company_rep(self) -> bool:
        return Role.COMPANY_REP in self.roles


def active_memberships(user):
    """All active memberships of a user, across centres (not tenant-scoped: it is the user's)."""
    return list(
        Membership.all_centres.filter(user=user, is_active=True, centre__isnull=False)
        .select_related("centre")
        .order_by("centre__name", "role")
    )


def build_actor(user, requested_centre_id=None) -> Actor:
    if not user.is_authenticated:
        return Actor(user=user)
    memberships = active_memberships(user)
    centres: dict[int, Centre] = {}
    for membership in memberships:
        centres.setdefault(membership.centre_id, membership.centre)
    if not centres:
        return Actor(user=user)
    centre_id = requested_centre_id if requested_centre_id in centres else next(iter(centres))
    mine = [m for m in memberships if m.centre_id == centre_id]
    roles = frozenset(m.role for m in mine)
    return Actor(
        user=user,
        centre=centres[centre_id],
        roles=roles,
        capabilities=capabilities_for(
            roles, handles_accommodations=any(m.handles_accommodations for m in mine)
        ),
        company_ids=frozenset(m.company_id for m in mine if m.company_id),
        centres=tuple(centres.values()),
    )


def require(actor: Actor, capability: str) -> None:
    """403 unless the actor has the capability in its active centre."""
    if not actor.can(capability):
        raise PermissionDenied


def require_any(actor: Actor, *capabilities: str) -> None:
    if not any(actor.can(c) for c in capabilities):
        raise PermissionDenied


def get_object_or_404_scoped(queryset, **lookup):
    """Fetch from an already scoped queryset; any miss (foreign or absent) is a 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def companies_for(actor: Actor):
    """The companies an actor may see: all of the centre for staff, its own for a company rep."""
    qs = Company.objects.all()
    if actor.can(Capability.VIEW_CENTRE):
        return qs
    if actor.is_company_rep:
        return qs.filter(pk__in=actor.company_ids)
    return qs.none()


def get_company_for_user(actor: Actor, pk, *, write: bool = False) -> Company:
    company = get_object_or_404_scoped(companies_for(actor), pk=pk)
    if write:
        require(actor, Capability.MANAGE_COMPANIES)
    return company


def memberships_for(actor: Actor):
    """Memberships of the active centre, for those who manage users."""
    if not actor.can(Capability.MANAGE_USERS):
        return Membership.objects.none()
    return Membership.objects.select_related("user", "company")


def get_membership_for_user(actor: Actor, pk, *, write: bool = False) -> Membership:
    require(actor, Capability.MANAGE_USERS)
    return get_object_or_404_scoped(memberships_for(actor), pk=pk)


def invitations_for(actor: Actor):
    """Invitations of the active centre, for those who manage users."""
    if not actor.can(Capability.MANAGE_USERS):
        return Invitation.objects.none()
    return Invitation.objects.select_related("company", "invited_by")


def get_invitation_for_user(actor: Actor, pk, *, write: bool = False) -> Invitation:
    require(actor, Capability.MANAGE_USERS)
    return get_object_or_404_scoped(invitations_for(actor), pk=pk)


def get_centre_settings_for_user(actor: Actor, *, write: bool = False) -> Centre:
    """The active centre, for its settings page (403 without the capability)."""
    require(actor, Capability.MANAGE_SETTINGS)
    if actor.centre is None:  # pragma: no cover - no capability without a centre
        raise Http404
    return Centre.objects.get(pk=actor.centre.pk)
