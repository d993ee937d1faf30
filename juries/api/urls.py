from django.urls import path
from rest_framework.routers import SimpleRouter

from juries.api import decisions, dossier_file, jurors, statistics, views

router = SimpleRouter()
router.register("jury-sessions", views.JurySessionViewSet, basename="jury-session")
router.register("jurors", jurors.JurorViewSet, basename="juror")
router.register("jury-members", views.JuryMemberViewSet, basename="jury-member")
router.register("jury-agenda", views.AgendaItemViewSet, basename="jury-agenda-item")
router.register("jury-documents", dossier_file.JuryDocumentViewSet, basename="jury-document")
router.register("jury-votes", decisions.VoteViewSet, basename="jury-vote")
router.register("jury-decisions", decisions.DecisionViewSet, basename="jury-decision")

urlpatterns = [
    path("statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    *router.urls,
]
