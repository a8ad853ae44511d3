"""Domain errors and the one DRF exception handler that renders API.md's error shape."""

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework.response import Response


class ShoalError(Exception):
    """Base of every error a service raises; the API renders it as {"error": {...}}."""

    status = 400
    code = "invalid"
    default_message = _("Invalid request.")

    def __init__(self, message: Any = None, *, code: str | None = None, fields=None, extra=None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields
        self.extra = extra or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.fields:
            body["fields"] = {k: [str(m) for m in v] for k, v in self.fields.items()}
        body.update(self.extra)
        return body


class InvalidInput(ShoalError):
    status = 400
    code = "invalid"
    default_message = _("The input is not valid.")


class NotFound(ShoalError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Forbidden(ShoalError):
    status = 403
    code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class Conflict(ShoalError):
    status = 409
    code = "conflict"
    default_message = _("The record has changed; reload and try again.")


class PayloadTooLarge(ShoalError):
    status = 413
    code = "upload_too_large"
    default_message = _("The upload is too large.")


class ServiceUnavailable(ShoalError):
    """The database cannot be reached (restart, failover, locked): retry shortly (issue 9)."""

    status = 503
    code = "service_unavailable"
    default_message = _("The service is briefly unavailable; please try again in a moment.")


class StaleVersion(Conflict):
    code = "stale_version"
    default_message = _("Someone else changed this record; reload it or overwrite.")

    def __init__(self, current: dict | None = None):
        super().__init__(extra={"current": current} if current is not None else None)


@contextmanager
def current_on_stale(render: Callable[[], dict]):
    """API.md: a stale write answers 409 with the record as it is now. Wrap a versioned update in
    this, with ``render`` serialising the current record, so every endpoint answers alike."""
    try:
        yield
    except StaleVersion as stale:
        stale.extra["current"] = render()
        raise


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        out: list[str] = []
        for value in detail.values():
            out.extend(_flatten(value))
        return out
    if isinstance(detail, list):
        out = []
        for value in detail:
            out.extend(_flatten(value))
        return out
    return [str(detail)]


def _fields(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def error_response(status: int, body: dict, headers=None) -> Response:
    return Response({"error": body}, status=status, headers=headers)


def _invalid(fields: dict[str, list[str]]) -> Response:
    """400 with the field errors; the message is the first of them, for clients that show one line."""
    first = next(iter(fields.values()))[0] if fields else str(_("The input is not valid."))
    return error_response(400, {"code": "invalid", "message": first, "fields": fields})


def is_unavailable(exc) -> bool:
    """A lost or refused database connection (not a bug in a query): answered with 503."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_body() -> dict:
    return ServiceUnavailable().as_dict()


def exception_handler(exc, context):
    if is_unavailable(exc):
        from rest_framework.views import set_rollback

        set_rollback()
        return error_response(503, unavailable_body(), headers={"Retry-After": "5"})
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if isinstance(exc, ShoalError):
        return error_response(exc.status, exc.as_dict())
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        fields = _fields(detail)
        return _invalid(fields)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    if isinstance(exc, drf.ValidationError):
        fields = _fields(exc.detail)
        return _invalid(fields)
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        response.status_code = 401
        code = "not_authenticated"
    detail = getattr(exc, "detail", "")
    if isinstance(detail, dict | list):
        message = _flatten(detail)[0]
    else:
        message = str(detail)
    code = getattr(detail, "code", None) or code
    return error_response(response.status_code, {"code": code, "message": message}, headers=response.headers)
