"""Security headers and API-token throttling (issue 9). Settings: docs/operator.md, "Security"."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` (settings.SHOAL_CSP; empty → none). The built web app loads
    only its own scripts and styles; Element Plus sets ``style`` attributes, so styles allow inline."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SHOAL_CSP", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class TokenRateThrottle(SimpleRateThrottle):
    """Requests signed with an API token are limited per user (all of their tokens together; rate "token", e.g. 600/min);
    the web app's session requests are not counted here."""

    scope = "token"

    def get_cache_key(self, request, view):
        from shoal.org.models import ApiToken

        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.user_id}
