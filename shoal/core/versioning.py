"""Optimistic locking settled by the database in one conditional UPDATE (ARCHITECTURE.md)."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import F

from shoal.core.errors import StaleVersion


def versioned_update(
    instance: models.Model,
    *,
    version: int | None,
    changes: dict[str, Any],
    current: Callable[[models.Model], dict] | None = None,
) -> models.Model:
    """Apply ``changes`` to ``instance`` only if its row still has ``version``.

    The bump is a conditional UPDATE whose row count decides the race on every database; the
    following ``save()`` then writes the fields and the history row in the same transaction.
    """
    model = instance._meta.model  # not type(): request.user is a lazy proxy
    if version is None:
        version = instance.version
    bumped = model._default_manager.filter(pk=instance.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        instance.refresh_from_db()
        raise StaleVersion(current=current(instance) if current else None)
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.version = version + 1
    instance.save()
    return instance


def versioned_input(serializer_class, data) -> tuple[dict, int]:
    """A versioned PATCH body (API.md, Writes): the validated changes and the version the client read,
    which every such edit must send back (400 otherwise)."""
    from django.utils.translation import gettext as _

    from shoal.core.errors import InvalidInput

    serializer = serializer_class(data=data, partial=True)
    serializer.is_valid(raise_exception=True)
    values = dict(serializer.validated_data)
    if "version" not in values:
        raise InvalidInput(fields={"version": [_("Send back the version you read.")]})
    return values, values.pop("version")
