from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from candidates import privacy_views

from . import (
    account_views,
    audit_views,
    company_views,
    invitation_views,
    twofactor_views,
    user_views,
    views,
)

app_name = "centres"

urlpatterns = [
    path("centre/changer/", views.switch_centre, name="switch"),
    # Users and roles.
    path("centre/utilisateurs/", user_views.user_list, name="users"),
    path("centre/utilisateurs/inviter/", user_views.invite, name="invite"),
    path("centre/utilisateurs/<int:pk>/", user_views.membership_detail, name="membership_detail"),
    path(
        "centre/utilisateurs/<int:pk>/desactiver/",
        user_views.membership_deactivate,
        name="membership_deactivate",
    ),
    path(
        "centre/utilisateurs/<int:pk>/reactiver/",
        user_views.membership_reactivate,
        name="membership_reactivate",
    ),
    path(
        "centre/utilisateurs/<int:pk>/amenagements/",
        user_views.membership_accommodations,
        name="membership_accommodations",
    ),
    path("centre/invitations/", user_views.invitation_list, name="invitations"),
    path(
        "centre/invitations/<int:pk>/revoquer/",
        user_views.invitation_revoke,
        name="invitation_revoke",
    ),
    # Companies.
    path("centre/entreprises/", company_views.company_list, name="companies"),
    path("centre/entreprises/nouvelle/", company_views.company_create, name="company_create"),
    path("centre/entreprises/<int:pk>/", company_views.company_detail, name="company_detail"),
    path("centre/entreprises/<int:pk>/modifier/", company_views.company_edit, name="company_edit"),
    # Centre settings.
    path("centre/reglages/", company_views.centre_settings, name="settings"),
    # The audit log (view_audit_log).
    path("centre/journal/", audit_views.audit_log, name="audit_log"),
    path("centre/journal/export.csv", audit_views.audit_export, name="audit_export"),
    # Candidates' personal data: right of access, anonymisation (manage_personal_data).
    path("centre/donnees-personnelles/", privacy_views.privacy_index, name="privacy"),
    path(
        "centre/donnees-personnelles/<int:pk>/",
        privacy_views.privacy_candidate,
        name="privacy_candidate",
    ),
    path(
        "centre/donnees-personnelles/<int:pk>/export.json",
        privacy_views.privacy_export,
        name="privacy_export",
    ),
    path(
        "centre/donnees-personnelles/<int:pk>/anonymiser/",
        privacy_views.privacy_anonymise,
        name="privacy_anonymise",
    ),
    # The link mailed with an invitation.
    path("invitation/<str:token>/", invitation_views.accept, name="invitation_accept"),
]

# Authentication URLs keep Django's standard names (login, logout, password_*).
auth_urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # The user's own account: password, second factor, API tokens.
    path("mon-compte/", account_views.account, name="account"),
    path("mon-compte/jetons/", account_views.api_tokens, name="api_tokens"),
    path(
        "mon-compte/jetons/<int:pk>/revoquer/",
        account_views.api_token_revoke,
        name="api_token_revoke",
    ),
    # Second factor (centres.twofactor): confirm a login, enrol an app, recovery codes.
    path("double-authentification/", twofactor_views.verify, name="two_factor_verify"),
    path("double-authentification/activer/", twofactor_views.setup, name="two_factor_setup"),
    path(
        "double-authentification/codes-de-secours/",
        twofactor_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "double-authentification/nouveaux-codes-de-secours/",
        twofactor_views.regenerate_codes,
        name="two_factor_regenerate_codes",
    ),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("password_reset_done"),
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
