from django.urls import path

from centres.views import audit as audit_views
from centres.views import companies as company_views
from centres.views import shell as views
from centres.views import users as user_views

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
]
