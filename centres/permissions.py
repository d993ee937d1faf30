"""Per-object grants (django-guardian), always given and taken back through these services.

Capabilities (``centres.roles``) say what a role may do in its centre; an object permission
says *on which object*: this assessor on this evaluation, this juror on this jury session,
this company on these dossiers. Later apps declare direct foreign-key permission tables
(``UserObjectPermissionBase`` subclasses) next to their models; guardian finds them by
itself, so these helpers work for any model.

The object must belong to a centre: either a ``centre`` foreign key, or a ``get_centre()``
method (children reaching their centre through a parent). The grantee must hold an active
role in that centre: a grant never crosses the tenant wall.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm
from guardian.utils import evict_obj_perms_cache

from . import audit
from .errors import CentreError
from .models import Membership

User = get_user_model()


def centre_id_of(obj) -> int:
    if hasattr(obj, "centre_id"):
        return obj.centre_id
    if hasattr(obj, "get_centre"):
        return getattr(obj.get_centre(), "pk", None)
    raise TypeError(f"{type(obj).__name__} has no centre: add a centre FK or get_centre()")


def _codename(perm: str) -> str:
    return perm.split(".", 1)[1] if "." in perm else perm


def has_object_permission(user, perm: str, obj) -> bool:
    """Whether ``user`` holds ``perm`` on ``obj`` directly (read fresh from the database)."""
    evict_obj_perms_cache(obj)
    return _codename(perm) in set(get_user_perms(user, obj))


def grant_object_permission(user, perm: str, obj, *, acting_user, reason="") -> bool:
    """Give ``user`` the permission ``perm`` ("app.codename") on ``obj``.

    Returns True when a grant was written, False when the user already held it."""
    actor = getattr(acting_user, "user", acting_user)
    centre_id = centre_id_of(obj)
    with transaction.atomic():
        # Serialise the grants of one user: two concurrent grants cannot both write.
        User.objects.select_for_update().filter(pk=user.pk).first()
        with scopes_disabled():
            is_member = Membership.objects.filter(
                user=user, centre_id=centre_id, is_active=True
            ).exists()
        if not is_member:
            raise CentreError(
                _("Cette personne n'a aucun rôle actif dans le centre de cet objet."),
                code="grant_outside_centre",
            )
        if has_object_permission(user, perm, obj):
            return False
        assign_perm(perm, user, obj)
        evict_obj_perms_cache(obj)
        audit.record(
            centre=centre_id,
            actor=actor,
            action="permission.grant",
            subject=obj,
            after={"user": user.pk, "permission": perm},
            reason=reason,
        )
    return True


def revoke_object_permission(user, perm: str, obj, *, acting_user, reason="") -> bool:
    """Take ``perm`` on ``obj`` back from ``user``. Returns False when there was nothing to
    take back. A grant may be withdrawn even after the user lost their role."""
    actor = getattr(acting_user, "user", acting_user)
    centre_id = centre_id_of(obj)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if not has_object_permission(user, perm, obj):
            return False
        remove_perm(perm, user, obj)
        evict_obj_perms_cache(obj)
        audit.record(
            centre=centre_id,
            actor=actor,
            action="permission.revoke",
            subject=obj,
            before={"user": user.pk, "permission": perm},
            reason=reason,
        )
    return True
