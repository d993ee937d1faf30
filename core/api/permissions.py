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
