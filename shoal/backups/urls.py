from shoal.backups import api
from shoal.core.routers import Router

router = Router()
router.register("backups", api.BackupViewSet, basename="backup")

urlpatterns = router.urls
