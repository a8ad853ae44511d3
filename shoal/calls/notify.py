"""The one door from this app to the notification centre (shoal.notifications, added on main).

Imported lazily so this app works before that app exists; a reminder that could not be handed over
is reported as not sent and stays due, so the periodic job delivers it once the centre is there."""

import logging

logger = logging.getLogger(__name__)


def send(recipients, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "") -> bool:
    try:
        from shoal.notifications.services import notify
    except ModuleNotFoundError:
        logger.warning("shoal.notifications is not installed; reminder %s not sent", dedupe_key or title)
        return False
    notify(recipients, kind, title, body=body, link=link, dedupe_key=dedupe_key)
    return True
