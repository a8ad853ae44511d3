"""The one door from this app to the notification centre (shoal.notifications, added on main);
imported lazily so this app works before that app exists (then nothing is sent)."""

import logging

logger = logging.getLogger(__name__)


def send(recipients, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "") -> bool:
    try:
        from shoal.notifications.services import notify
    except ModuleNotFoundError:
        logger.warning("shoal.notifications is not installed; %s not sent", dedupe_key or title)
        return False
    notify(recipients, kind, title, body=body, link=link, dedupe_key=dedupe_key)
    return True
