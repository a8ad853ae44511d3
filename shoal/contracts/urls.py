from shoal.contracts import api
from shoal.core.routers import Router

router = Router()
router.register("contracts", api.ContractViewSet, basename="contract")
router.register("receivables", api.ReceivableViewSet, basename="receivable")
router.register("payments", api.PaymentViewSet, basename="payment")
router.register("collection-tasks", api.CollectionTaskViewSet, basename="collection-task")

urlpatterns = router.urls
