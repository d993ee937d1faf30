"""Reads of the tenancy app shared by the other apps."""

from django.contrib.auth import get_user_model

from centres.models import Membership


def holds_role(user, centre, role) -> bool:
    """Whether ``user`` holds an active ``role`` in ``centre`` (read fresh)."""
    return Membership.all_centres.filter(
        user=user, centre=centre, role=role, is_active=True
    ).exists()


def centre_members(centre, role=None):
    """The users holding an active role (``role`` when given) in ``centre``."""
    memberships = Membership.all_centres.filter(centre=centre, is_active=True)
    if role is not None:
        memberships = memberships.filter(role=role)
    return get_user_model().objects.filter(pk__in=memberships.values("user_id"))
