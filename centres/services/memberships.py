"""Memberships: withdrawing and giving back a role, the accommodations flag."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from centres import audit
from centres.errors import CentreError
from centres.models import Membership
from centres.permissions import revoke_unheld_object_permissions
from centres.roles import Capability, Role
from centres.services._guards import require_capability
from centres.services.invitations import MEMBERSHIP_AUDIT_FIELDS
from centres.signals import last_role_ended
from core.services import user_of


def deactivate_membership(membership, *, actor, reason="") -> Membership:
    """Withdraw a role. Refused for one's own roles and for the last active administrator.

    The person's object permissions in this centre that the role carried (their sessions
    as assessor, as juror…) go with it, in the same transaction; those in other centres
    stay. Reactivating the role gives none of them back. When it was their last active
    role, their API tokens are revoked too."""
    user = user_of(actor)
    with transaction.atomic(), scopes_disabled():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        require_capability(user, membership.centre, Capability.MANAGE_USERS)
        if not membership.is_active:
            return membership
        if membership.role == Role.CENTRE_ADMIN:
            admins = list(
                Membership.objects.select_for_update()
                .filter(centre_id=membership.centre_id, role=Role.CENTRE_ADMIN, is_active=True)
                .values_list("pk", flat=True)
            )
            if admins == [membership.pk]:
                raise CentreError(
                    _(
                        "C'est le dernier administrateur actif du centre : nommez d'abord un "
                        "autre administrateur."
                    ),
                    code="last_centre_admin",
                )
        if membership.user_id == user.pk:
            raise CentreError(
                _("Vous ne pouvez pas désactiver votre propre rôle."), code="self_deactivation"
            )
        before = audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
        membership.is_active = False
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["is_active", "deactivated_at"])
        audit.record(
            centre=membership.centre_id,
            actor=user,
            action="membership.deactivate",
            subject=membership,
            before=before,
            after=audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
            reason=reason,
        )
        revoke_unheld_object_permissions(
            membership.user, centre=membership.centre_id, actor=user, reason=reason
        )
        if not Membership.objects.filter(user_id=membership.user_id, is_active=True).exists():
            # Their last role: the API tokens they hold go with it (accounts listens).
            last_role_ended.send(
                sender=Membership, user=membership.user, actor=user, centre=membership.centre_id
            )
    return membership


def reactivate_membership(membership, *, actor, reason="") -> Membership:
    """Give a withdrawn role back. The object permissions taken with it are not restored:
    the person is granted their sessions again when they are assigned again."""
    user = user_of(actor)
    with transaction.atomic(), scopes_disabled():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        require_capability(user, membership.centre, Capability.MANAGE_USERS)
        if membership.is_active:
            return membership
        if not membership.user.is_active:
            raise CentreError(
                _("Le compte de cette personne est désactivé : il ne peut pas recevoir de rôle."),
                code="inactive_user",
            )
        before = audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
        membership.is_active = True
        membership.deactivated_at = None
        membership.save(update_fields=["is_active", "deactivated_at"])
        audit.record(
            centre=membership.centre_id,
            actor=user,
            action="membership.reactivate",
            subject=membership,
            before=before,
            after=audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
            reason=reason,
        )
    return membership


def set_handles_accommodations(membership, value: bool, *, actor) -> Membership:
    """Let a chargé de certification organise accommodations (health data, GDPR art. 9)."""
    user = user_of(actor)
    value = bool(value)
    with transaction.atomic(), scopes_disabled():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        require_capability(user, membership.centre, Capability.MANAGE_USERS)
        if membership.handles_accommodations == value:
            return membership
        if value and membership.role != Role.STAFF:
            raise CentreError(
                _("Seul un chargé de certification peut être désigné pour les aménagements."),
                code="accommodations_staff_only",
            )
        before = audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
        membership.handles_accommodations = value
        membership.save(update_fields=["handles_accommodations"])
        audit.record(
            centre=membership.centre_id,
            actor=user,
            action="membership.accommodations",
            subject=membership,
            before=before,
            after=audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        )
    return membership
