from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Login, two-factor, re-authentication, invitations' pages and API tokens. The account
    models (``User``, ``ApiToken``…) stay in ``centres`` (their tables and migrations)."""

    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from accounts import (
            auth_audit,  # noqa: F401 - account events into the audit log
            tokens,  # noqa: F401 - API tokens revoked on a password change
        )
        from centres.signals import last_role_ended

        last_role_ended.connect(tokens.revoke_on_last_role, dispatch_uid="tokens-last-role")
