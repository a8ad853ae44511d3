from django.db.models import QuerySet

from shoal.attachments import services
from shoal.attachments.models import Attachment
from shoal.org.models import User


def attachment_list(*, user: User, target_kind: str, target_id: int) -> QuerySet[Attachment]:
    """The attachments of one record, after the kind's visibility check (404 if not visible)."""
    services._kind(target_kind).get(user, target_id)
    return Attachment.objects.filter(
        target_kind=target_kind, target_id=target_id, deleted_at__isnull=True
    ).select_related("created_by")
