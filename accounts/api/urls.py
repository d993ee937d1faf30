from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import obtain, tokens

router = SimpleRouter()
router.register("auth/tokens", tokens.ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token/", obtain.ObtainTokenView.as_view(), name="auth-token"),
    path("auth/logout/", tokens.LogoutView.as_view(), name="auth-logout"),
    *router.urls,
]
