from rest_framework.routers import SimpleRouter

from accrochage.api import views

router = SimpleRouter()
router.register("accrochage/holders", views.HolderViewSet, basename="accrochage-holder")
router.register("accrochage/flux", views.FluxViewSet, basename="accrochage-flux")

urlpatterns = router.urls
