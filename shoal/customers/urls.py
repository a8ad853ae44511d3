from django.urls import path

from shoal.core.routers import Router
from shoal.customers import api, transfer_api

router = Router()
router.register("customers", api.CustomerViewSet, basename="customer")
router.register("pool", api.PoolViewSet, basename="pool")
router.register("customer-stages", api.StageViewSet, basename="customer-stage")
router.register("customer-tags", transfer_api.TagViewSet, basename="customer-tag")

contact = api.ContactViewSet.as_view({"patch": "partial_update", "delete": "destroy"})
relation = api.RelationViewSet.as_view({"delete": "destroy"})

urlpatterns = [
    # CUS-13, before the router's customers/<pk>/ routes
    path("customers/import/", transfer_api.CustomerImportView.as_view(), name="customer-import"),
    path(
        "customers/import/template/", transfer_api.CustomerImportTemplateView.as_view(), name="customer-import-template"
    ),
    path("customers/import/<int:pk>/", transfer_api.CustomerImportDetailView.as_view(), name="customer-import-detail"),
    path(
        "customers/import/<int:pk>/preview/",
        transfer_api.CustomerImportPreviewView.as_view(),
        name="customer-import-preview",
    ),
    path(
        "customers/import/<int:pk>/start/", transfer_api.CustomerImportStartView.as_view(), name="customer-import-start"
    ),
    path("customers/export/", transfer_api.CustomerExportView.as_view(), name="customer-export"),
    path("customers/<int:pk>/tags/", transfer_api.CustomerTagsView.as_view(), name="customer-tags"),
    path("customers/<int:customer_pk>/contacts/<int:pk>/", contact, name="customer-contact-detail"),
    path("customers/<int:customer_pk>/relations/<int:pk>/", relation, name="customer-relation-detail"),
    *router.urls,
]
