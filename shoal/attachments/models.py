"""CUS-14 attachments: files hanging off a record of any registered kind (customers now, contracts
later). The file sits in the default storage under a server-made name; the original name is kept
(sanitised) only to name the download. Downloads go through the API after the kind's visibility
check — MEDIA_ROOT is never served directly."""

from django.db import models
from django.db.models import Q

from shoal.core.models import TimeStampedModel


class Attachment(TimeStampedModel):
    target_kind = models.CharField(max_length=30)  # a key of attachments.services.KINDS, e.g. "customer"
    target_id = models.BigIntegerField()
    name = models.CharField(max_length=200)  # sanitised original name, for the download
    file = models.CharField(max_length=300)  # storage name (server-generated)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)  # from the bytes, not from the browser
    sha256 = models.CharField(max_length=64)
    deleted_at = models.DateTimeField(null=True, blank=True)  # soft delete (restorable; the file stays)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["target_kind", "target_id", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="attachments_target",
            )
        ]

    def __str__(self) -> str:
        return self.name
