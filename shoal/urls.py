from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shoal.core.views import spa_index

api_v1 = [
    path("", include("shoal.org.urls")),
    path("", include("shoal.system.urls")),
    path("", include("shoal.customers.urls")),
    path("", include("shoal.notifications.urls")),
    path("", include("shoal.opportunities.urls")),
    path("", include("shoal.contracts.urls")),
    path("", include("shoal.calls.urls")),
    path("", include("shoal.teamwork.urls")),
    path("", include("shoal.products.urls")),
    path("", include("shoal.orders.urls")),
    path("", include("shoal.activities.urls")),
    path("", include("shoal.jobs.urls")),
    path("", include("shoal.attachments.urls")),
    path("", include("shoal.backups.urls")),
    path("", include("shoal.pools.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    re_path(r"^(?!api/|admin/|static/|media/)(?P<path>.*)$", spa_index, name="spa"),
]

handler404 = "shoal.core.views.not_found"
handler500 = "shoal.core.views.server_error"
