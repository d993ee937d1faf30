"""The columns the centre's lists sort by: the pages (``?sort=``) and the API
(``?ordering=``) share them (``core.listing.SortColumns``)."""

from core.listing import SortColumns
from core.search import french

COMPANY_SORT = SortColumns(
    "name",
    name=french("name"),
    siret="siret",
    city=(french("city"), french("name")),
)
USER_SORT = SortColumns(
    "name",
    name=(french("user__last_name"), french("user__first_name")),
    username="user__username",
    email="user__email",
    role="role",
    status=("-is_active", french("user__last_name")),
)
INVITATION_SORT = SortColumns(
    "-sent",
    email="email",
    role="role",
    invited_by=(french("invited_by__last_name"), french("invited_by__first_name")),
    sent="created_at",
    expires="expires_at",
)
AUDIT_SORT = SortColumns(
    "-date",
    date="created_at",
    actor=(french("actor__last_name"), french("actor__first_name"), "-created_at"),
    action=("action", "-created_at"),
    subject=("subject_type", "subject_id", "-created_at"),
)
