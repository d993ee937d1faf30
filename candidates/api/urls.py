from rest_framework.routers import SimpleRouter

from candidates.api import views

router = SimpleRouter()
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("dossiers", views.DossierViewSet, basename="dossier")
router.register("dossier-documents", views.DossierDocumentViewSet, basename="dossier-document")

urlpatterns = router.urls
