from django.urls import path

from shoal.core.routers import Router
from shoal.customers import api

router = Router()
router.register("customers", api.CustomerViewSet, basename="customer")
router.register("pool", api.PoolViewSet, basename="pool")
router.register("customer-stages", api.StageViewSet, basename="customer-stage")

contact = api.ContactViewSet.as_view({"patch": "partial_update", "delete": "destroy"})
relation = api.RelationViewSet.as_view({"delete": "destroy"})

urlpatterns = [
    path("customers/<int:customer_pk>/contacts/<int:pk>/", contact, name="customer-contact-detail"),
    path("customers/<int:customer_pk>/relations/<int:pk>/", relation, name="customer-relation-detail"),
    *router.urls,
]
