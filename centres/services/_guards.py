"""Guards shared by the tenancy services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from centres.errors import CentreError, StaleVersionError
from centres.models import Membership
from centres.roles import capabilities_for
from centres.validators import normalize_siret, validate_siret
from core.services import user_of


def capabilities_in(user, centre) -> frozenset[str]:
    """The capabilities ``user`` holds in ``centre`` (read fresh: services re-check)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    memberships = list(
        Membership.all_centres.filter(user=user, centre_id=centre.pk, is_active=True).only(
            "role", "handles_accommodations"
        )
    )
    return capabilities_for(
        {m.role for m in memberships},
        handles_accommodations=any(m.handles_accommodations for m in memberships),
    )


def require_capability(actor, centre, capability, *, error=CentreError) -> None:
    """Refuse with ``error`` unless the acting user holds ``capability`` in ``centre``
    (read fresh: services re-check what the page or the API already checked)."""
    if capability not in capabilities_in(user_of(actor), centre):
        raise error(
            _("Vous n'avez pas le droit de faire cette action dans ce centre."),
            code="permission_denied",
        )


def stale_record(obj) -> StaleVersionError:
    return StaleVersionError(
        _(
            "Ces données ont été modifiées par quelqu'un d'autre pendant votre saisie "
            "(version %(current)s). Rechargez la page et recommencez vos modifications."
        )
        % {"current": obj.version}
    )


def _clean_siret(value) -> str:
    siret = normalize_siret(value)
    try:
        validate_siret(siret)
    except ValidationError as exc:
        raise CentreError(exc.messages[0], code=exc.error_list[0].code) from None
    return siret
