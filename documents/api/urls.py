from rest_framework.routers import SimpleRouter

from documents.api import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("document-batches", views.DocumentBatchViewSet, basename="document-batch")

urlpatterns = router.urls
