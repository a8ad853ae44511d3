import pytest

from shoal.notifications.models import Notification
from shoal.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_notify_reaches_each_recipient_once(cast):
    added = notify([cast["owner"], cast["owner"].pk, cast["colleague"]], "plan_reminder", "联系计划到期", link="/x")
    assert added == 2
    assert Notification.objects.filter(recipient=cast["owner"]).count() == 1
    assert notify([], "plan_reminder", "无人") == 0


def test_a_dedupe_key_makes_a_repeated_notification_a_no_op(cast):
    assert notify([cast["owner"]], "auto_returned", "客户已退回", dedupe_key="return:1:2026-11-25") == 1
    assert (
        notify([cast["owner"], cast["colleague"]], "auto_returned", "客户已退回", dedupe_key="return:1:2026-11-25") == 1
    )
    assert Notification.objects.filter(dedupe_key="return:1:2026-11-25").count() == 2
    # without a key every call notifies again
    notify([cast["owner"]], "note", "再次")
    notify([cast["owner"]], "note", "再次")
    assert Notification.objects.filter(kind="note").count() == 2


def test_a_person_lists_and_counts_only_their_own(cast, client_for):
    notify([cast["owner"]], "note", "给负责人的")
    notify([cast["colleague"]], "note", "给同事的")
    client = client_for(cast["owner"])
    body = client.get("/api/v1/notifications/").json()
    assert [n["title"] for n in body["results"]] == ["给负责人的"] and body["count"] == 1
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 1}


def test_marking_read_settles_each_id_and_others_notifications_are_not_found(cast, client_for):
    notify([cast["owner"]], "note", "一")
    notify([cast["owner"]], "note", "二")
    notify([cast["colleague"]], "note", "别人的")
    mine = list(Notification.objects.filter(recipient=cast["owner"]).order_by("pk").values_list("pk", flat=True))
    other = Notification.objects.get(recipient=cast["colleague"]).pk
    client = client_for(cast["owner"])
    result = client.post("/api/v1/notifications/read/", {"ids": [mine[0], other]}, format="json").json()
    assert result["succeeded"] == [mine[0]]
    assert [f["code"] for f in result["failed"]] == ["not_found"]
    assert Notification.objects.get(pk=other).read_at is None
    assert [n["title"] for n in client.get("/api/v1/notifications/?unread=true").json()["results"]] == ["二"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"count": 1}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 0}
    assert client_for(cast["colleague"]).get("/api/v1/notifications/unread-count/").json() == {"count": 1}


def test_bad_input_is_a_400(cast, client_for):
    client = client_for(cast["owner"])
    assert client.post("/api/v1/notifications/read/", {"ids": []}, format="json").status_code == 400
    assert client.post("/api/v1/notifications/read/", {"ids": ["x"]}, format="json").status_code == 400
    assert client.get("/api/v1/notifications/", {"kind": "a\x00b"}).status_code == 400


def test_the_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for n in range(50):
        notify([cast["owner"]], "note", f"第{n}条")
    with django_assert_max_num_queries(4):
        response = client_for(cast["owner"]).get("/api/v1/notifications/?page_size=60")
    assert len(response.json()["results"]) == 50
