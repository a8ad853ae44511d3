from django.db.models import QuerySet

from shoal.notifications.models import Notification
from shoal.org.models import User


def notification_list(*, user: User, unread: bool = False, kind: str | None = None) -> QuerySet[Notification]:
    """A person's own notifications; nobody sees anyone else's."""
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
