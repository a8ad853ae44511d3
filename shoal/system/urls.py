from django.urls import path

from shoal.core.routers import Router
from shoal.system import api

router = Router()
router.register("dictionary", api.DictionaryViewSet, basename="dictionary")

urlpatterns = [
    path("parameters/", api.ParametersView.as_view(), name="parameters"),
    *router.urls,
]
