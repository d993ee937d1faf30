from rest_framework.routers import SimpleRouter

from cqpm.api import views

router = SimpleRouter()
router.register("qualifications", views.QualificationViewSet, basename="qualification")
router.register(
    "referential-versions", views.ReferentialVersionViewSet, basename="referential-version"
)
router.register("criteria", views.CriterionViewSet, basename="criterion")

urlpatterns = router.urls
