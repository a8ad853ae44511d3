from shoal.core.routers import Router
from shoal.teamwork import api

router = Router()
router.register("help-requests", api.HelpRequestViewSet, basename="help-request")
router.register("work-logs", api.WorkLogViewSet, basename="work-log")
router.register("attendance", api.AttendanceViewSet, basename="attendance")

urlpatterns = router.urls
