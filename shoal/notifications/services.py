"""Sending and reading notifications. Other apps call ``notify``; nothing else writes them."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from shoal.core.batch import BatchResult
from shoal.core.errors import NotFound
from shoal.notifications.models import Notification
from shoal.org.models import User


def notify(
    recipients: Iterable[User | int],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
) -> int:
    """Notify each recipient once; with a ``dedupe_key`` a repeated call for the same person adds
    nothing (settled by a unique constraint, so concurrent jobs cannot double it). Returns how many
    notifications were new."""
    ids = {r if isinstance(r, int) else r.pk for r in recipients}
    if not ids:
        return 0
    rows = [
        Notification(recipient_id=pk, kind=kind, title=title[:200], body=body, link=link[:300], dedupe_key=dedupe_key)
        for pk in sorted(ids)
    ]
    if not dedupe_key:
        Notification.objects.bulk_create(rows)
        return len(rows)
    before = Notification.objects.filter(recipient_id__in=ids, dedupe_key=dedupe_key).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(recipient_id__in=ids, dedupe_key=dedupe_key).count() - before


def notifications_mark_read(*, actor: User, ids: list[int]) -> BatchResult:
    result = BatchResult()
    now = timezone.now()
    with transaction.atomic():
        mine = set(Notification.objects.filter(recipient=actor, pk__in=ids).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=mine, read_at__isnull=True).update(read_at=now)
    for pk in ids:
        if pk in mine:
            result.ok(pk)
        else:
            result.fail(pk, NotFound())
    return result


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
