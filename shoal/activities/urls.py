from shoal.activities import api
from shoal.core.routers import Router

router = Router()
router.register("interactions", api.InteractionViewSet, basename="interaction")
router.register("contact-plans", api.ContactPlanViewSet, basename="contact-plan")
router.register("schedule", api.ScheduleViewSet, basename="schedule")
router.register("visits", api.VisitViewSet, basename="visit")

urlpatterns = router.urls
