"""DRF permission classes that ask the active centre's capabilities (never role names)."""

from rest_framework.permissions import BasePermission


def has_capability(*capabilities: str) -> type[BasePermission]:
    """A permission class granted when the actor holds any of ``capabilities`` in its
    active centre (``request.actor``, set by ``ActiveCentreMiddleware``)."""

    class HasCapability(BasePermission):
        def has_permission(self, request, view):
            actor = getattr(request, "actor", None)
            return bool(
                request.user
                and request.user.is_authenticated
                and actor is not None
                and any(actor.can(c) for c in capabilities)
            )

    HasCapability.__name__ = "HasCapability_" + "_".join(capabilities)
    return HasCapability


class InActiveCentre(BasePermission):
    """The authenticated user holds at least one role in the active centre."""

    def has_permission(self, request, view):
        actor = getattr(request, "actor", None)
        return bool(request.user and request.user.is_authenticated and actor and actor.centre)


class ActorCan(BasePermission):
    """Granted when the active centre's actor holds any of the view's capabilities for this
    action (``view.required_capabilities()``; none: any authenticated actor); object
    visibility is then decided by the app's access helpers (404)."""

    def has_permission(self, request, view):
        actor = getattr(request, "actor", None)
        if not (request.user and request.user.is_authenticated and actor is not None):
            return False
        capabilities = view.required_capabilities()
        return not capabilities or any(actor.can(c) for c in capabilities)
