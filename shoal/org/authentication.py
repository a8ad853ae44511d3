from django.utils import timezone
from rest_framework import authentication, exceptions

from shoal.org.models import ApiToken


class SessionAuthentication(authentication.SessionAuthentication):
    """Session + CSRF for the web app; answers 401 (not 403) when nobody is signed in."""

    def authenticate_header(self, request):
        return "Session"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` with personal, revocable tokens (ORG-3)."""

    keyword = "Token"

    def authenticate(self, request):
        try:
            header = authentication.get_authorization_header(request).split()
        except UnicodeError:  # a header no real client sends (not Latin-1): not a token of ours
            raise exceptions.AuthenticationFailed("Invalid token header.") from None
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = (
            ApiToken.objects.select_related("user", "user__role", "user__department")
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
