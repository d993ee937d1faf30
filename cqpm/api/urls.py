from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("qualifications", views.QualificationViewSet, basename="qualification")
router.register(
    "referential-versions", views.ReferentialVersionViewSet, basename="referential-version"
)
router.register("criteria", views.CriterionViewSet, basename="criterion")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="auth-token"),
    *router.urls,
]
