from django.urls import path

from shoal.attachments.api import TargetAttachmentsView
from shoal.contracts import api
from shoal.core.routers import Router


class ContractAttachmentsView(TargetAttachmentsView):
    """SAL-6: /contracts/{pk}/attachments/ — the signed scan, annexes."""

    kind = "contract"
    required_permissions = {"get": "sales.view", "post": "sales.edit"}


router = Router()
router.register("contracts", api.ContractViewSet, basename="contract")
router.register("receivables", api.ReceivableViewSet, basename="receivable")
router.register("payments", api.PaymentViewSet, basename="payment")
router.register("collection-tasks", api.CollectionTaskViewSet, basename="collection-task")

urlpatterns = [
    path("contracts/<int:pk>/attachments/", ContractAttachmentsView.as_view(), name="contract-attachments"),
    *router.urls,
]
