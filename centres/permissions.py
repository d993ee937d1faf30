"""Per-object grants (django-guardian), always given and taken back through these services.

Capabilities (``centres.roles``) say what a role may do in its centre; an object permission
says *on which object*: this assessor on this evaluation, this juror on this jury session,
this company on these dossiers. Later apps declare direct foreign-key permission tables
(``UserObjectPermissionBase`` subclasses) next to their models; guardian finds them by
itself, so these helpers work for any model.

The object must belong to a centre: either a ``centre`` foreign key, or a ``get_centre()``
method (children reaching their centre through a parent). The grantee must hold an active
role in that centre: a grant never crosses the tenant wall.

A grant does not outlive the role it stands on: whatever ends a person's role in a centre
(a membership deactivated, a role changed or deleted in the admin, an account disabled)
calls :func:`revoke_unheld_object_permissions` in the same transaction. Giving the role
back restores nothing: the assignment services grant again when the person is assigned
again.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from guardian.models import UserObjectPermissionBase
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm
from guardian.utils import evict_obj_perms_cache

from centres import audit
from centres.errors import CentreError
from centres.models import Membership
from centres.roles import Capability, capabilities_for
from core.services import user_of

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


def grant_object_permission(user, perm: str, obj, *, actor, reason="") -> bool:
    """Give ``user`` the permission ``perm`` ("app.codename") on ``obj``.

    Returns True when a grant was written, False when the user already held it."""
    by = user_of(actor)
    centre_id = centre_id_of(obj)
    with transaction.atomic():
        # Serialise the grants of one user: two concurrent grants cannot both write.
        User.objects.select_for_update().filter(pk=user.pk).first()
        is_member = Membership.all_centres.filter(
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
            actor=by,
            action="permission.grant",
            subject=obj,
            after={"user": user.pk, "permission": perm},
            reason=reason,
        )
    return True


def revoke_object_permission(user, perm: str, obj, *, actor, reason="") -> bool:
    """Take ``perm`` on ``obj`` back from ``user``. Returns False when there was nothing to
    take back. A grant may be withdrawn even after the user lost their role."""
    by = user_of(actor)
    centre_id = centre_id_of(obj)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if not has_object_permission(user, perm, obj):
            return False
        remove_perm(perm, user, obj)
        evict_obj_perms_cache(obj)
        audit.record(
            centre=centre_id,
            actor=by,
            action="permission.revoke",
            subject=obj,
            before={"user": user.pk, "permission": perm},
            reason=reason,
        )
    return True


# The capability each kind of grant stands on: the services grant it only to people who
# hold that capability in the object's centre (an assessor on a session, a juror on a jury
# session), and it goes with the role that carried the capability. A permission missing
# here lasts as long as the person holds any active role in the centre; a test fails when
# a model with a direct grant table declares a permission this map does not know.
GRANT_CAPABILITIES: dict[str, str] = {
    "evaluations.evaluate_session": Capability.EVALUATE,
    "juries.sit_on_jury_session": Capability.DELIBERATE,
}


def user_grant_tables() -> list[type[models.Model]]:
    """Guardian's tables of per-user grants: each direct foreign-key table, and the generic
    one (content type + object id)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, UserObjectPermissionBase) and not model._meta.abstract
    ]


def _is_direct(table) -> bool:
    return isinstance(table._meta.get_field("content_object"), models.ForeignKey)


def _grants_of(user, centre_id):
    """``(row, obj, perm, centre_id)`` for each grant ``user`` holds, on the objects of
    ``centre_id`` only when given (all centres otherwise)."""
    for table in user_grant_tables():
        rows = table.objects.filter(user=user).select_related("permission__content_type")
        if _is_direct(table):
            target = table._meta.get_field("content_object").related_model
            rows = rows.select_related("content_object")
            if centre_id is not None and any(f.name == "centre" for f in target._meta.fields):
                rows = rows.filter(content_object__centre_id=centre_id)
        else:
            rows = rows.prefetch_related("content_object")
        for row in rows.order_by("pk"):
            obj = row.content_object
            if obj is None:  # a generic grant on a row deleted since
                continue
            try:
                obj_centre = centre_id_of(obj)
            except TypeError:  # an object outside any centre: not a tenant grant
                continue
            if obj_centre is None or (centre_id is not None and obj_centre != centre_id):
                continue
            perm = f"{row.permission.content_type.app_label}.{row.permission.codename}"
            yield row, obj, perm, obj_centre


def _capabilities_in(user, centre_id) -> frozenset[str] | None:
    """What ``user`` may do in the centre, or None when they hold no active role there
    (or their account is disabled)."""
    if not user.is_active:
        return None
    roles = list(
        Membership.objects.filter(user=user, centre_id=centre_id, is_active=True).values_list(
            "role", "handles_accommodations"
        )
    )
    if not roles:
        return None
    return capabilities_for(
        {role for role, _flag in roles}, handles_accommodations=any(f for _r, f in roles)
    )


def revoke_unheld_object_permissions(user, *, actor, centre=None, reason="") -> int:
    """Take back every grant of ``user`` that their roles no longer carry: all of them in a
    centre where they hold no active role any more, and those whose capability
    (:data:`GRANT_CAPABILITIES`) their remaining roles there lack. ``centre`` (a Centre or
    an id) limits the sweep to the objects of that centre: grants elsewhere are kept.
    One ``permission.revoke`` audit row per grant. Returns the number of grants revoked."""
    by = user_of(actor)
    centre_id = getattr(centre, "pk", centre)
    revoked = 0
    with transaction.atomic(), scopes_disabled():
        # The same lock as grant_object_permission: a grant racing with the end of the role
        # either sees the role gone, or is committed before this sweep reads the grants.
        user = User.objects.select_for_update().get(pk=user.pk)
        capabilities: dict[int, frozenset[str] | None] = {}
        for row, obj, perm, obj_centre in list(_grants_of(user, centre_id)):
            if obj_centre not in capabilities:
                capabilities[obj_centre] = _capabilities_in(user, obj_centre)
            held = capabilities[obj_centre]
            needed = GRANT_CAPABILITIES.get(perm)
            if held is not None and (needed is None or needed in held):
                continue
            row.delete()
            evict_obj_perms_cache(obj)
            audit.record(
                centre=obj_centre,
                actor=by,
                action="permission.revoke",
                subject=obj,
                before={"user": user.pk, "permission": perm},
                reason=reason,
            )
            revoked += 1
    return revoked
