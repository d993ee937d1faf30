"""Permission matrix of the tenancy app's pages and endpoints (see tests/matrix.py)."""

from centres.roles import Role
from tests.matrix import ALL_ROLES, CENTRE_ROLES, Entry

from .factories import MembershipFactory, pending_invitation, valid_siret

ADMIN = ("centre_admin",)
COMPANY_MANAGERS = ("centre_admin", "staff")
COMPANY_READERS = ("centre_admin", "staff", "company_rep")
NO_COMPANY_VIEW = ("assessor", "juror", "national_admin")

INVITEE = "invitee-a@example.org"
MATRIX_TOKEN = "matrix-token-centre-a"


def _membership(role=Role.ASSESSOR, **kwargs):
    def build(w):
        return {"pk": MembershipFactory(centre=w.centre_a, role=role, **kwargs).pk}

    return build


def _invitation(w):
    pending_invitation(w.centre_a, INVITEE, invited_by=w.user("centre_admin"))


def _invitation_pk(w):
    return {"pk": pending_invitation(w.centre_a, INVITEE, invited_by=w.user("centre_admin")).pk}


def _invitation_token(w):
    pending_invitation(w.centre_a, INVITEE, invited_by=w.user("centre_admin"), token=MATRIX_TOKEN)
    return {"token": MATRIX_TOKEN}


AUDIT_MARKER = "matrix.audit-marker-centre-a"


def _audit_row(w):
    from centres.models import AuditEntry

    AuditEntry.objects.create(
        centre=w.centre_a, action=AUDIT_MARKER, subject_type="centres.centre", subject_id="0"
    )


def _audit_marker(w):
    return AUDIT_MARKER


PRIVACY_MARKER = "EXPIREMATRICE"


def _expired_candidate(w):
    from tests.security.privacy_helpers import expired_candidate

    return expired_candidate(w.centre_a, birth_name=PRIVACY_MARKER)[0]


def _expired_candidate_pk(w):
    return {"pk": _expired_candidate(w).pk}


def _privacy_marker(w):
    return PRIVACY_MARKER


def _company(w):
    return {"pk": w.company_a.pk}


def _company_data(w):
    return {"name": "Nouvelle Société", "siret": valid_siret(901), "city": "Lyon"}


def _user_marker(w):
    return w.user("staff").email


def _company_marker(w):
    return w.company_a.name


HTML = [
    # Users and roles.
    Entry("centres:users", allowed=ADMIN, marker=_user_marker),
    Entry("centres:users", allowed=ADMIN, marker=_user_marker, query="?q=staff", label="search"),
    Entry("centres:invite", allowed=ADMIN),
    Entry(
        "centres:invite",
        allowed=ADMIN,
        method="post",
        status=302,
        data=lambda w: {"email": "nouveau@example.org", "role": Role.ASSESSOR},
        label="post",
    ),
    Entry("centres:membership_detail", allowed=ADMIN, kwargs=_membership()),
    Entry(
        "centres:membership_deactivate",
        allowed=ADMIN,
        method="post",
        status=302,
        kwargs=_membership(),
    ),
    Entry(
        "centres:membership_reactivate",
        allowed=ADMIN,
        method="post",
        status=302,
        kwargs=_membership(is_active=False),
    ),
    Entry(
        "centres:membership_accommodations",
        allowed=ADMIN,
        method="post",
        status=302,
        kwargs=_membership(Role.STAFF),
        data=lambda w: {"handles_accommodations": "1"},
    ),
    Entry("centres:invitations", allowed=ADMIN, setup=_invitation, marker=lambda w: INVITEE),
    Entry(
        "centres:invitation_revoke",
        allowed=ADMIN,
        method="post",
        status=302,
        kwargs=_invitation_pk,
    ),
    # The invitation link: anyone may open it (logged in or not).
    Entry("centres:invitation_accept", allowed=ALL_ROLES, public=True, kwargs=_invitation_token),
    # Companies.
    Entry("centres:companies", allowed=COMPANY_MANAGERS, marker=_company_marker),
    Entry(
        "centres:companies",
        allowed=COMPANY_MANAGERS,
        marker=_company_marker,
        query="?q=Soci",
        label="search",
    ),
    Entry("centres:company_create", allowed=COMPANY_MANAGERS),
    Entry(
        "centres:company_create",
        allowed=COMPANY_MANAGERS,
        method="post",
        status=302,
        data=_company_data,
        label="post",
    ),
    Entry(
        "centres:company_detail",
        allowed=COMPANY_READERS,
        kwargs=_company,
        hidden_from=NO_COMPANY_VIEW,
    ),
    Entry(
        "centres:company_edit",
        allowed=COMPANY_MANAGERS,
        kwargs=_company,
        hidden_from=NO_COMPANY_VIEW,
    ),
    Entry(
        "centres:company_edit",
        allowed=COMPANY_MANAGERS,
        method="post",
        status=302,
        kwargs=_company,
        data=lambda w: {
            "name": "Société Alpha renommée",
            "siret": valid_siret(902),
            "version": w.company_a.version,
        },
        hidden_from=NO_COMPANY_VIEW,
        label="post",
    ),
    # Centre settings.
    Entry("centres:settings", allowed=ADMIN),
    Entry(
        "centres:settings",
        allowed=ADMIN,
        method="post",
        status=302,
        data=lambda w: {
            "jury_quorum": 5,
            "commission_min_assessors": 3,
            "retention_active_months": 36,
            "retention_archive_months": 60,
            "version": w.centre_a.version,
        },
        label="post",
    ),
]

TOKEN_MARKER = "a1b2c3d4"


def _staff_token(w):
    """An API token of centre A's chargé de certification: only they may revoke it."""
    from centres.models import ApiToken

    token = ApiToken.objects.create(
        user=w.user("staff"), key_hash=ApiToken.hash_key(TOKEN_MARKER * 5), prefix=TOKEN_MARKER
    )
    return {"pk": token.pk}


def _token_marker(w):
    return TOKEN_MARKER


NOT_THE_OWNER = tuple(r for r in ALL_ROLES if r != "staff")

ACCOUNTS = [
    # The user's own account and API tokens: anyone logged in, their own rows only.
    Entry("account", allowed=ALL_ROLES),
    Entry("api_tokens", allowed=ALL_ROLES, setup=_staff_token, marker=_token_marker),
    Entry(
        "api_token_revoke",
        allowed=("staff",),
        method="post",
        status=302,
        kwargs=_staff_token,
        hidden_from=NOT_THE_OWNER,
    ),
    Entry("password_change", allowed=ALL_ROLES),
    Entry("password_change_done", allowed=ALL_ROLES),
    Entry("password_reset", allowed=ALL_ROLES, public=True),
    Entry("password_reset_done", allowed=ALL_ROLES, public=True),
    Entry(
        "password_reset_confirm",
        allowed=ALL_ROLES,
        public=True,
        kwargs=lambda w: {"uidb64": "MQ", "token": "lien-invalide"},
    ),
    Entry("password_reset_complete", allowed=ALL_ROLES, public=True),
    # Second factor, self-service new recovery codes: any logged-in user; without an
    # enrolled app (the matrix users have none) it sends to the set-up page.
    Entry("two_factor_regenerate_codes", allowed=ALL_ROLES, status=302),
    Entry(
        "two_factor_regenerate_codes",
        allowed=ALL_ROLES,
        method="post",
        status=302,
        data=lambda w: {"code": "123456", "confirm": "on"},
    ),
]

API = [
    Entry("api:me", allowed=ALL_ROLES),
    Entry("api:api-token-list", allowed=ALL_ROLES, setup=_staff_token, marker=_token_marker),
    Entry(
        "api:api-token-detail",
        allowed=("staff",),
        method="delete",
        status=204,
        kwargs=_staff_token,
        hidden_from=NOT_THE_OWNER,
    ),
    # Logging out of the API revokes the token used (a session: nothing to revoke).
    Entry("api:auth-logout", allowed=ALL_ROLES, method="post", status=204),
    Entry("api:company-list", allowed=COMPANY_READERS, marker=_company_marker),
    Entry(
        "api:company-list",
        allowed=COMPANY_READERS,
        marker=_company_marker,
        query="?search=Soci",
        label="search",
    ),
    Entry(
        "api:company-list",
        allowed=COMPANY_MANAGERS,
        method="post",
        status=201,
        data=_company_data,
        label="create",
    ),
    Entry("api:company-detail", allowed=COMPANY_READERS, kwargs=_company),
    Entry(
        "api:company-detail",
        allowed=COMPANY_MANAGERS,
        method="patch",
        kwargs=_company,
        data=lambda w: {"city": "Villeurbanne", "version": w.company_a.version},
        label="patch",
    ),
    Entry(
        "api:company-detail",
        allowed=COMPANY_MANAGERS,
        method="put",
        kwargs=_company,
        data=lambda w: {
            "name": "Société Alpha",
            "siret": valid_siret(903),
            "city": "Lyon",
            "version": w.company_a.version,
        },
        label="put",
    ),
    Entry("api:membership-list", allowed=ADMIN, marker=_user_marker),
    Entry(
        "api:membership-list",
        allowed=ADMIN,
        marker=_user_marker,
        query="?search=staff",
        label="search",
    ),
    Entry("api:membership-detail", allowed=ADMIN, kwargs=_membership()),
    Entry(
        "api:membership-deactivate",
        allowed=ADMIN,
        method="post",
        kwargs=_membership(),
    ),
    Entry(
        "api:membership-reactivate",
        allowed=ADMIN,
        method="post",
        kwargs=_membership(is_active=False),
    ),
    Entry("api:invitation-list", allowed=ADMIN, setup=_invitation, marker=lambda w: INVITEE),
    Entry(
        "api:invitation-list",
        allowed=ADMIN,
        method="post",
        status=201,
        data=lambda w: {"email": "nouveau@example.org", "role": Role.JUROR},
        label="create",
    ),
    Entry("api:invitation-revoke", allowed=ADMIN, method="post", kwargs=_invitation_pk),
    Entry("api:centre-settings", allowed=ADMIN),
    Entry(
        "api:centre-settings",
        allowed=ADMIN,
        method="patch",
        data=lambda w: {"jury_quorum": 6, "version": w.centre_a.version},
        label="patch",
    ),
]

AUDIT = [
    # The audit log (view_audit_log: centre administrators only).
    Entry("centres:audit_log", allowed=ADMIN, setup=_audit_row, marker=_audit_marker),
    Entry(
        "centres:audit_log",
        allowed=ADMIN,
        setup=_audit_row,
        marker=_audit_marker,
        query="?action=matrix.&date_from=2000-01-01",
        label="filtered",
    ),
    # A streamed CSV (no marker check here: tests/security/test_audit_log.py checks it).
    Entry("centres:audit_export", allowed=ADMIN, setup=_audit_row),
    Entry("api:audit-entry-list", allowed=ADMIN, setup=_audit_row, marker=_audit_marker),
]

PRIVACY = [
    # Candidates' personal data (manage_personal_data: centre administrators only).
    Entry("centres:privacy", allowed=ADMIN, setup=_expired_candidate, marker=_privacy_marker),
    Entry("centres:privacy_candidate", allowed=ADMIN, kwargs=_expired_candidate_pk),
    Entry("centres:privacy_export", allowed=ADMIN, kwargs=_expired_candidate_pk),
    Entry("centres:privacy_anonymise", allowed=ADMIN, kwargs=_expired_candidate_pk),
    Entry(
        "centres:privacy_anonymise",
        allowed=ADMIN,
        method="post",
        status=302,
        kwargs=_expired_candidate_pk,
        label="anonymise",
    ),
]

ENTRIES = HTML + ACCOUNTS + API + AUDIT + PRIVACY

assert set(CENTRE_ROLES) >= set(COMPANY_READERS)
