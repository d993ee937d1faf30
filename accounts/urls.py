"""The accounts' pages: login and logout, the user's own account, two-factor, passwords
(``auth_urlpatterns``, Django's standard names, no namespace), and the invitation link
(``invitation_urlpatterns``, mounted in the ``centres`` namespace by ``parchemin.urls``)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts.views import account as account_views
from accounts.views import invitations as invitation_views
from accounts.views import twofactor as twofactor_views

invitation_urlpatterns = [
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
    # Second factor (accounts.twofactor): confirm a login, enrol an app, recovery codes.
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
