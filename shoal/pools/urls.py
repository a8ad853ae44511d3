from shoal.core.routers import Router

router = Router()
urlpatterns = [*router.urls]
