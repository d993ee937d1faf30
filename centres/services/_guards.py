"""Guards shared by the tenancy services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from centres.errors import CentreError, StaleVersionError
from centres.models import Membership
from centres.roles import capabilities_for
from centres.validators import normalize_siret, validate_siret


def _user(acting_user):
    return getattr(acting_user, "user", acting_user)


def capabilities_in(user, centre) -> frozenset[str]:
    """The capabilities ``user`` holds in ``centre`` (read fresh: services re-check)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    with scopes_disabled():
        memberships = list(
            Membership.objects.filter(user=user, centre_id=centre.pk, is_active=True).only(
                "role", "handles_accommodations"
            )
        )
    return capabilities_for(
        {m.role for m in memberships},
        handles_accommodations=any(m.handles_accommodations for m in memberships),
    )


def _require(acting_user, centre, capability) -> None:
    if capability not in capabilities_in(_user(acting_user), centre):
        raise CentreError(
            _("Vous n'avez pas le droit de faire cette action dans ce centre."),
            code="permission_denied",
        )


def _check_version(obj, expected_version) -> None:
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = None
    if expected != obj.version:
        raise StaleVersionError(
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
