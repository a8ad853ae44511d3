from shoal.calls import api
from shoal.core.routers import Router

router = Router()
router.register("call-annotations", api.CallAnnotationViewSet, basename="call-annotation")
router.register("call-customers", api.CallCustomerViewSet, basename="call-customer")
router.register("talk-scripts", api.TalkScriptViewSet, basename="talk-script")
router.register("phone-leases", api.PhoneLeaseViewSet, basename="phone-lease")
router.register("invalid-phones", api.InvalidPhoneViewSet, basename="invalid-phone")

urlpatterns = router.urls
