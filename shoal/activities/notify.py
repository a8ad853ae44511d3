"""The one door to the notification centre (shoal.notifications, added by the lead on main).

Imported lazily so this app works — and its tests run — where that app is not installed yet;
there nothing is delivered and the reminder job leaves its reminders due until it is."""

from collections.abc import Iterable

from django.apps import apps


def available() -> bool:
    return apps.is_installed("shoal.notifications")


def send(recipients: Iterable, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "") -> int:
    """``notify(recipients, kind, title, body, link, dedupe_key)`` of shoal.notifications.services;
    returns how many notifications were new (0 when the centre is not installed)."""
    if not available():
        return 0
    from shoal.notifications.services import notify

    return notify(recipients, kind, title, body=body, link=link, dedupe_key=dedupe_key)
