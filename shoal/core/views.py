"""Serves the single-page web app: every non-API path answers with web/dist/index.html."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET


@require_GET
@ensure_csrf_cookie
def spa_index(request, path: str = "") -> HttpResponse:
    index = settings.WEB_DIST / "index.html"
    if not index.exists():
        return HttpResponse(
            "<h1>Shoal</h1><p>The web app is not built yet: run <code>make run</code>.</p>",
            status=503,
        )
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def not_found(request, exception=None):
    """404 for every unknown path: the API's error shape under /api/, the web app elsewhere."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "not_found", "message": _("Not found.")}}, status=404)
    return HttpResponse("Not found", status=404, content_type="text/plain; charset=utf-8")


def server_error(request):
    import sys

    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    from shoal.core.errors import is_unavailable, unavailable_body

    # A database outage raised outside a DRF view (sessions, sign-in checks) also answers 503.
    if is_unavailable(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": unavailable_body()}, status=503)
        else:
            response = HttpResponse(_("Server error."), status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "5"
        return response

    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "server_error", "message": _("Server error.")}}, status=500)
    return HttpResponse("Server error", status=500, content_type="text/plain; charset=utf-8")
