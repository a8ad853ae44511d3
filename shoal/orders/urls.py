from shoal.core.routers import Router
from shoal.orders import api

router = Router()
router.register("quotes", api.QuoteViewSet, basename="quote")
router.register("orders", api.OrderViewSet, basename="order")

urlpatterns = router.urls
