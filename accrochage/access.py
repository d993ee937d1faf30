"""Who reaches the accrochage.

- centre staff who produce the centre's documents (``manage_documents``: centre
  administrators and chargés de certification): the holders to declare and the fluxes of
  their active centre — another centre's flux is a 404;
- the national administrator: the certifier account only (no candidate data);
- everybody else: 403.
"""

from django.core.exceptions import PermissionDenied

from accrochage.models import Flux
from centres.access import get_object_or_404_scoped
from centres.roles import Capability
from cqpm.selectors import is_national_admin


def can_declare(actor) -> bool:
    return actor.centre is not None and actor.can(Capability.MANAGE_DOCUMENTS)


def require_declarer(actor) -> None:
    if not can_declare(actor):
        raise PermissionDenied


def require_national_admin(actor) -> None:
    if not is_national_admin(getattr(actor, "user", None)):
        raise PermissionDenied


def fluxes_for(actor):
    require_declarer(actor)
    return Flux.objects.filter(centre=actor.centre)


def get_flux_for_user(actor, pk) -> Flux:
    return get_object_or_404_scoped(
        fluxes_for(actor).select_related("centre", "created_by", "report_imported_by"), pk=pk
    )
