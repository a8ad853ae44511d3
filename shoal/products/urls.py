from shoal.core.routers import Router
from shoal.products import api

router = Router()
router.register("products", api.ProductViewSet, basename="product")
router.register("product-categories", api.CategoryViewSet, basename="product-category")

urlpatterns = router.urls
