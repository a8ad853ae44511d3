"""Action permissions (STYLE.md: two axes). Records are the selectors' business, not this module's.

Each domain app declares its permission codes as a ``Permission`` TextChoices in its own
``permissions.py``; this module collects them and checks them for API views.
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from shoal.core.errors import Forbidden


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"
    default_message = _("You must change your password before continuing.")


@cache
def all_permission_codes() -> tuple[str, ...]:
    codes: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shoal."):
            continue
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError:
            continue
        enum = getattr(module, "Permission", None)
        if enum is not None:
            codes.extend(enum.values)
    return tuple(dict.fromkeys(codes))  # an area's everyday codes (sales.view) may be declared by two apps


def require(user, code: str) -> None:
    if not user.has_permission(code):
        raise Forbidden()


class IsSignedIn(BasePermission):
    """Signed in, password not pending a forced change, and holding the view's action permission.

    A view declares ``required_permissions = {"create": "org.manage_users", "*": "org.view_staff"}``
    keyed by DRF action (or HTTP method for plain APIViews); ``"*"`` is the fallback.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if user.must_change_password and not getattr(view, "allow_pending_password_change", False):
            raise PasswordChangeRequired()
        required = getattr(view, "required_permissions", None) or {}
        key = getattr(view, "action", None) or request.method.lower()
        code = required.get(key, required.get("*"))
        if code:
            require(user, code)
        return True
