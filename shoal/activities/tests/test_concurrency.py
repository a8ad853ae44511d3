"""Races settled by the database: real threads, each with its own connection (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shoal.activities import notify, services
from shoal.activities.models import ContactPlan, Interaction, ScheduleComment, ScheduleItem
from shoal.core.errors import ShoalError
from shoal.customers.tests.test_concurrency import run_together
from shoal.org.tests.factories import UserFactory, role

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(function):
    try:
        function()
    except ShoalError as error:
        return error.code
    return "ok"


def test_a_plan_completed_twice_at_once_leaves_one_interaction(cast, customer):
    plan = services.contact_plan_create(
        actor=cast["owner"], customer=customer, data={"planned_at": timezone.now(), "purpose": "回访"}
    )

    def complete():
        fresh = ContactPlan.objects.select_related("customer", "contact").get(pk=plan.pk)
        return outcome(lambda: services.contact_plan_complete(actor=cast["owner"], plan=fresh, data={"content": "好"}))

    results = run_together([complete] * 4)

    assert sorted(results) == ["ok", "plan_closed", "plan_closed", "plan_closed"]
    assert Interaction.objects.filter(customer=customer).count() == 1


def test_overlapping_reminder_runs_send_each_reminder_once(cast, customer, monkeypatch):
    calls = []
    monkeypatch.setattr(notify, "available", lambda: True)
    monkeypatch.setattr(notify, "send", lambda recipients, kind, title, **kw: calls.append(kw["dedupe_key"]) or 1)
    now = timezone.now()
    for i in range(6):
        services.contact_plan_create(
            actor=cast["owner"],
            customer=customer,
            data={"planned_at": now + timedelta(minutes=i), "purpose": f"计划{i}", "remind_minutes": 30},
        )

    results = run_together([lambda: services.contact_plan_remind_due(now=now)] * 3)

    assert sum(results) == 6
    assert sorted(calls) == sorted(set(calls)) and len(calls) == 6


def test_two_superiors_approving_at_once_leave_one_approval(cast, company):
    second = UserFactory(role=role("department_manager"), department=company["root"])
    cast["manager"].superior = second
    cast["manager"].save()
    now = timezone.now()
    item = ScheduleItem.objects.create(user=cast["owner"], title="周报", start_at=now, end_at=now)

    def approve(actor):
        fresh = ScheduleItem.objects.get(pk=item.pk)
        return outcome(lambda: services.schedule_comment(actor=actor, item=fresh, kind="approval"))

    results = run_together([lambda: approve(cast["manager"]), lambda: approve(second)])

    assert sorted(results) == ["already_approved", "ok"]
    assert ScheduleComment.objects.filter(item=item, kind="approval").count() == 1
