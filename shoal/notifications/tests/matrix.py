"""Authorization-matrix entries of the notification centre: everyone has their own, nobody another's."""

from shoal.core.tests.matrix_cases import Case

TABLE = {
    ("/api/v1/notifications/", "GET"): [Case(), Case(body={"unread": "true"})],
    ("/api/v1/notifications/unread-count/", "GET"): [Case()],
    # someone else's notification is not found, like a missing one
    ("/api/v1/notifications/read/", "POST"): [
        Case(body=lambda w, a, t: {"ids": [w.extra["notifications"]["own"].pk]}),
    ],
    ("/api/v1/notifications/read-all/", "POST"): [Case()],
}


def populate(world) -> None:
    from shoal.notifications.services import notify

    notify([world.users["sales_rep"]], "test", "机密通知own", body="只给销售代表")
    from shoal.notifications.models import Notification

    world.extra["notifications"] = {"own": Notification.objects.get(title="机密通知own")}
