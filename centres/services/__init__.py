"""Every write of the tenancy app: invitations, memberships, companies, centre settings.

Each service runs in a transaction, locks the rows it changes (``select_for_update``),
checks its guard (the acting user's capability in the centre first), does nothing when the
target state is already reached, saves with ``update_fields``, appends an audit row and
defers side effects (mail) to ``transaction.on_commit``.

``actor`` may be a ``User`` or a ``centres.access.Actor``.
"""

from centres.services._guards import capabilities_in, require_capability
from centres.services.companies import (
    CENTRE_SETTINGS_FIELDS,
    COMPANY_FIELDS,
    create_company,
    update_centre_settings,
    update_company,
)
from centres.services.invitations import (
    accept_invitation,
    find_invitation,
    invitation_refusal,
    invitation_url,
    invite_user,
    revoke_invitation,
)
from centres.services.memberships import (
    deactivate_membership,
    reactivate_membership,
    set_handles_accommodations,
)

__all__ = [
    "CENTRE_SETTINGS_FIELDS",
    "COMPANY_FIELDS",
    "accept_invitation",
    "capabilities_in",
    "require_capability",
    "create_company",
    "deactivate_membership",
    "find_invitation",
    "invitation_refusal",
    "invitation_url",
    "invite_user",
    "reactivate_membership",
    "revoke_invitation",
    "set_handles_accommodations",
    "update_centre_settings",
    "update_company",
]
