from shoal.core.routers import Router
from shoal.pools import api

router = Router()
router.register("pools", api.PoolViewSet, basename="pool-admin")

urlpatterns = [*router.urls]
