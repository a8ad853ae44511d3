"""Help requests, work logs and attendance over HTTP: threads, 404/403, versions, query budgets."""

import pytest

from shoal.org.tests.factories import UserFactory
from shoal.teamwork.models import WorkLog, WorkLogComment

pytestmark = pytest.mark.django_db


def test_help_request_thread_over_http(cast, client_for):
    rep, manager = client_for(cast["owner"]), client_for(cast["manager"])
    created = rep.post("/api/v1/help-requests/", {"subject": "大单卡住了", "body": "客户要求月结"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["superior_name"] == cast["manager"].display_name
    inbox = manager.get("/api/v1/help-requests/?box=inbox&status=open").json()
    assert [r["id"] for r in inbox["results"]] == [pk]
    replied = manager.post(f"/api/v1/help-requests/{pk}/messages/", {"body": "可以月结"}, format="json")
    assert replied.status_code == 201 and replied.json()["status"] == "answered"
    assert [m["body"] for m in rep.get(f"/api/v1/help-requests/{pk}/").json()["messages"]] == ["可以月结"]
    assert client_for(cast["colleague"]).get(f"/api/v1/help-requests/{pk}/").status_code == 404
    closed = rep.post("/api/v1/help-requests/close/", {"ids": [pk]}, format="json").json()
    assert closed["succeeded"] == [pk]
    again = manager.post(f"/api/v1/help-requests/{pk}/messages/", {"body": "补充"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "help_request_closed"


def test_work_log_over_http_with_versions_and_comments(cast, client_for):
    rep, manager = client_for(cast["owner"]), client_for(cast["manager"])
    created = rep.post("/api/v1/work-logs/", {"content": "打了30个电话", "plan": "明天拜访"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert rep.post("/api/v1/work-logs/", {"content": "again"}, format="json").status_code == 409
    assert manager.patch(f"/api/v1/work-logs/{pk}/", {"version": 1, "content": "x"}, format="json").status_code == 403
    assert rep.patch(f"/api/v1/work-logs/{pk}/", {"content": "x"}, format="json").status_code == 400
    assert (
        rep.patch(f"/api/v1/work-logs/{pk}/", {"version": 1, "content": "打了35个电话"}, format="json").status_code
        == 200
    )
    stale = rep.patch(f"/api/v1/work-logs/{pk}/", {"version": 1, "content": "y"}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["current"]["content"] == "打了35个电话"
    commented = manager.post(f"/api/v1/work-logs/{pk}/comments/", {"body": "继续保持"}, format="json")
    assert commented.status_code == 201 and commented.json()["comments"][0]["author_name"]
    assert client_for(cast["colleague"]).get(f"/api/v1/work-logs/{pk}/").status_code == 404
    rows = manager.get(f"/api/v1/work-logs/?user={cast['owner'].pk}").json()["results"]
    assert rows[0]["comment_count"] == 1
    attendance = manager.get("/api/v1/attendance/").json()
    assert any(r["user"] == cast["owner"].pk and r["days_present"] == 1 for r in attendance)
    assert manager.get("/api/v1/attendance/?month=2026-13").status_code == 400
    assert manager.get("/api/v1/work-logs/?day__gte=bad").status_code == 400


def test_work_log_and_help_lists_run_a_constant_number_of_queries(
    cast, client_for, company, django_assert_max_num_queries
):
    from datetime import date, timedelta

    from shoal.teamwork.models import HelpRequest

    for n in range(50):
        user = UserFactory(department=company["team_a"])
        log = WorkLog.objects.create(user=user, day=date(2026, 10, 1) + timedelta(n % 28), content="日志")
        WorkLogComment.objects.create(log=log, author=cast["manager"], body="阅")
        HelpRequest.objects.create(requester=user, superior=cast["manager"], subject="求助", body="x")
    client = client_for(cast["manager"])
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/work-logs/?page_size=60")
    assert response.json()["count"] == 50
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/help-requests/?page_size=60")
    assert response.json()["count"] == 50
    with django_assert_max_num_queries(14):
        response = client.get("/api/v1/attendance/?month=2026-10")
    assert len(response.json()) >= 50
