from django.urls import path
from rest_framework.routers import SimpleRouter

from centres.api import audit, views

router = SimpleRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("audit-entries", audit.AuditEntryViewSet, basename="audit-entry")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("centre/", views.CentreSettingsView.as_view(), name="centre-settings"),
    *router.urls,
]
