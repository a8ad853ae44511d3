"""Help requests (ACT-7), work logs, sign-ins and attendance (ORG-6)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from shoal.customers.tests.factories import CustomerFactory
from shoal.teamwork import selectors, services
from shoal.teamwork.models import HelpStatus, SignIn, WorkLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr("shoal.teamwork.notify.send", lambda *a, **k: calls.append((a, k)) or True)
    return calls


def test_a_rep_asks_the_superior_who_answers_then_the_rep_closes(cast, sent, django_capture_on_commit_callbacks):
    customer = CustomerFactory(owner=cast["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        request = services.help_request_create(
            actor=cast["owner"], subject="客户压价", body="对方要求再降10%", customer_id=customer.pk
        )
    assert request.superior_id == cast["manager"].pk and request.status == HelpStatus.OPEN
    assert sent[0][0][0] == [cast["manager"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.help_message_add(actor=cast["manager"], request=request, body="可以送一个月服务")
    request.refresh_from_db()
    assert request.status == HelpStatus.ANSWERED and sent[1][0][0] == [cast["owner"].pk]
    services.help_message_add(actor=cast["owner"], request=request, body="客户还是嫌贵")
    request.refresh_from_db()
    assert request.status == HelpStatus.OPEN
    assert services.help_request_close(actor=cast["owner"], ids=[request.pk]).succeeded == [request.pk]
    with pytest.raises(Conflict):
        services.help_message_add(actor=cast["manager"], request=request, body="晚了")


def test_only_the_thread_and_those_above_see_a_request(cast):
    request = services.help_request_create(actor=cast["owner"], subject="求助", body="怎么办")
    for who, sees in [("owner", True), ("manager", True), ("colleague", False), ("outsider", False)]:
        ids = set(selectors.help_request_visible(user=cast[who]).values_list("pk", flat=True))
        assert (request.pk in ids) is sees, who
    with pytest.raises(NotFound):
        services.help_message_add(actor=cast["colleague"], request=request, body="我来")


def test_asking_needs_a_superior_and_a_visible_customer(cast):
    with pytest.raises(InvalidInput):
        services.help_request_create(actor=cast["outsider"], subject="求助", body="x")  # nobody above
    hidden = CustomerFactory(owner=cast["outsider"])
    with pytest.raises(NotFound):
        services.help_request_create(actor=cast["owner"], subject="求助", body="x", customer_id=hidden.pk)
    with pytest.raises(InvalidInput):
        services.help_request_create(actor=cast["owner"], subject="求助", body="x", superior_id=cast["colleague"].pk)


def test_one_work_log_per_day_edited_by_its_writer_commented_by_the_superior(cast):
    log = services.work_log_create(actor=cast["owner"], data={"content": "拜访两家客户", "plan": "明天回访"})
    assert log.day == timezone.localdate()
    with pytest.raises(Conflict) as error:
        services.work_log_create(actor=cast["owner"], data={"content": "再写一篇"})
    assert error.value.code == "work_log_exists"
    with pytest.raises(Forbidden):
        services.work_log_update(actor=cast["manager"], log=log, version=1, data={"content": "改"})
    services.work_log_update(actor=cast["owner"], log=log, version=1, data={"content": "拜访三家客户"})
    comment = services.work_log_comment_add(actor=cast["manager"], log=log, body="不错，继续跟进")
    assert comment.log_id == log.pk
    with pytest.raises(InvalidInput):
        services.work_log_create(actor=cast["owner"], data={"content": "x"}, day=timezone.localdate() + timedelta(1))


def test_logs_are_read_by_the_writer_those_above_and_managers_in_scope(cast):
    log = services.work_log_create(actor=cast["owner"], data={"content": "日志"})
    for who, sees in [("owner", True), ("manager", True), ("admin", True), ("colleague", False), ("outsider", False)]:
        ids = set(selectors.work_log_list(user=cast[who]).values_list("pk", flat=True))
        assert (log.pk in ids) is sees, who


def test_attendance_counts_sign_ins_and_the_kinds_of_day(cast):
    owner = cast["owner"]
    base = date(2026, 10, 1)
    for offset in (0, 1, 2):  # signed in three days
        at = timezone.make_aware(timezone.datetime(2026, 10, 1 + offset, 9))
        services.sign_in_record(user=owner, at=at)
    services.sign_in_record(user=owner, at=timezone.make_aware(timezone.datetime(2026, 10, 1, 14)))  # twice a day
    WorkLog.objects.create(user=owner, day=base + timedelta(3), content="写了日志没登录")
    WorkLog.objects.create(user=owner, day=base + timedelta(4), day_type="leave")
    WorkLog.objects.create(user=owner, day=base + timedelta(5), day_type="business_trip")
    WorkLog.objects.create(user=owner, day=base + timedelta(2), day_type="business_trip")  # signed in on a trip
    rows = {r["user"]: r for r in selectors.attendance(user=cast["manager"], year=2026, month=10)}
    mine = rows[owner.pk]
    assert (mine["days_present"], mine["days_leave"], mine["days_business_trip"]) == (3, 1, 2)
    assert mine["days_signed_in"] == 3 and mine["logs_written"] == 4
    assert cast["outsider"].pk not in rows
    assert [r["user"] for r in selectors.attendance(user=owner, year=2026, month=10)] == [owner.pk]


def test_signing_in_records_a_sign_in(cast, client):
    from shoal.org.models import User

    User.objects.filter(pk=cast["owner"].pk).update(must_change_password=False)
    response = client.post(
        "/api/v1/auth/login/", {"username": "owner", "password": "Secret-pass-2026"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert SignIn.objects.filter(user=cast["owner"], day=timezone.localdate()).count() == 1
