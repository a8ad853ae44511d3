"""The one place this app sends notifications. The notifications app (``shoal.notifications``) is
being added on main with ``notify(recipients, kind, title, body="", link="", dedupe_key="")``; it is
imported lazily so this app works (and its tests run) before and after that merge. ``SENT`` keeps
what was sent in this process for tests that check the messages."""

import logging
from collections import deque
from importlib import import_module

logger = logging.getLogger(__name__)

SENT: deque[dict] = deque(maxlen=500)


def send(recipients: list[int], kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "") -> None:
    SENT.append(
        {"recipients": list(recipients), "kind": kind, "title": title, "body": body, "link": link, "key": dedupe_key}
    )
    services = _notifications()
    if services is None:
        logger.info("notification (no notifications app yet) %s → %s: %s", kind, recipients, title)
        return
    services.notify(recipients, kind, title, body=body, link=link, dedupe_key=dedupe_key)


_MISSING = object()
_module: object = None


def _notifications():
    """The notifications services module, looked up once (a failed import is not cached by Python,
    and the auto-return job notifies hundreds of owners per batch)."""
    global _module
    if _module is None:
        try:
            _module = import_module("shoal.notifications.services")
        except ModuleNotFoundError:
            _module = _MISSING
    return None if _module is _MISSING else _module
