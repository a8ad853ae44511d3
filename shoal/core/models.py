"""Base models shared by every domain app (ARCHITECTURE.md, Data)."""

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    # Optimistic locking: every write sends the version it read; a stale one is refused (409).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
