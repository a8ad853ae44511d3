from shoal.core.routers import Router
from shoal.notifications import api

router = Router()
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = router.urls
