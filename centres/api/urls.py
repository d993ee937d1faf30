from django.urls import path
from rest_framework.routers import SimpleRouter

from . import audit, tokens, views

router = SimpleRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("audit-entries", audit.AuditEntryViewSet, basename="audit-entry")
router.register("auth/tokens", tokens.ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("centre/", views.CentreSettingsView.as_view(), name="centre-settings"),
    path("auth/logout/", tokens.LogoutView.as_view(), name="auth-logout"),
    *router.urls,
]
