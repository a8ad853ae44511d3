from shoal.core.routers import Router
from shoal.jobs import api

router = Router()
router.register("jobs", api.JobViewSet, basename="job")

urlpatterns = router.urls
