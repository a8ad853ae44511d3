from shoal.core.routers import Router
from shoal.opportunities import api

router = Router()
router.register("opportunities", api.OpportunityViewSet, basename="opportunity")
router.register("opportunity-stages", api.StageViewSet, basename="opportunity-stage")
router.register("conflicts", api.ConflictViewSet, basename="conflict")

urlpatterns = router.urls
