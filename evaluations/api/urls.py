from rest_framework.routers import SimpleRouter

from evaluations.api import grids, opinions, sessions

router = SimpleRouter()
router.register(
    "evaluation-sessions", sessions.EvaluationSessionViewSet, basename="evaluationsession"
)
router.register("commission-members", sessions.CommissionMemberViewSet, basename="commissionmember")
router.register("grids", grids.GridViewSet, basename="grid")
router.register("criterion-scores", grids.CriterionScoreViewSet, basename="criterionscore")
router.register("company-opinions", opinions.CompanyOpinionViewSet, basename="companyopinion")

urlpatterns = router.urls
