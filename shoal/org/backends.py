from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from shoal.org.models import User


class UsernameOrMobileBackend(ModelBackend):
    """ORG-3: sign in with the username or the mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        login = username.strip()
        user = (
            User.objects.select_related("role", "department")
            .filter(Q(username__iexact=login) | Q(mobile=login))
            .order_by("id")
            .first()
        )
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint that the name is unknown
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        return User.objects.select_related("role", "department").filter(pk=user_id, is_active=True).first()
