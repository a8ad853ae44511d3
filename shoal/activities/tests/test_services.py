from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shoal.activities import services
from shoal.activities.models import Channel, ContactPlan, Interaction, PlanStatus, ScheduleItem, Visit
from shoal.core.errors import Conflict, Forbidden, InvalidInput
from shoal.customers.models import Contact, Customer, Share
from shoal.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def log(actor, customer, **data):
    return services.interaction_create(
        actor=actor, customer=customer, data={"channel": Channel.PHONE, "content": "介绍产品", **data}
    )


# ---------------------------------------------------------------- interactions (ACT-1)


def test_an_interaction_keeps_the_customers_last_follow_up(cast, customer, contact):
    # when
    interaction = log(
        cast["owner"], customer, contact=contact, needs="两台设备", quoted_price=Decimal("12000.50"), concerns="价格"
    )
    # then
    customer.refresh_from_db()
    assert customer.last_followed_at == interaction.occurred_at
    assert customer.last_followed_by_id == cast["owner"].pk
    assert interaction.contact_name == "赵经理" and interaction.department_id == cast["owner"].department_id
    assert interaction.quoted_price == Decimal("12000.50")


def test_a_back_dated_interaction_does_not_move_the_last_follow_up_back(cast, customer):
    latest = log(cast["owner"], customer)
    log(cast["owner"], customer, occurred_at=timezone.now() - timedelta(days=10))
    customer.refresh_from_db()
    assert customer.last_followed_at == latest.occurred_at


def test_owner_write_sharee_and_superior_may_log_but_not_a_read_only_sharee(cast, customer):
    writer = cast["colleague"]
    Share.objects.create(customer=customer, user=writer, access="write")
    for actor in (cast["owner"], writer, cast["manager"]):
        log(actor, customer)
    with pytest.raises(Forbidden) as refused:
        log(cast["sharee"], customer)
    assert refused.value.code == "read_only"
    assert Interaction.objects.filter(customer=customer).count() == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"content": "  "}, "content"),
        ({"quoted_price": Decimal("-1")}, "quoted_price"),
        ({"occurred_at": "future"}, "occurred_at"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_bad_interactions_are_refused_with_the_field(cast, customer, data, field):
    if data.get("occurred_at") == "future":
        data = {"occurred_at": timezone.now() + timedelta(hours=2)}
    with pytest.raises(InvalidInput) as refused:
        log(cast["owner"], customer, **data)
    assert field in refused.value.fields


def test_a_contact_of_another_customer_is_refused(cast, customer):
    other = CustomerFactory(owner=cast["owner"])
    stranger = Contact.objects.create(customer=other, name="别人")
    with pytest.raises(InvalidInput) as refused:
        log(cast["owner"], customer, contact=stranger)
    assert "contact" in refused.value.fields


def test_only_the_author_corrects_an_interaction(cast, customer):
    interaction = log(cast["owner"], customer)
    with pytest.raises(Forbidden):
        services.interaction_update(actor=cast["manager"], interaction=interaction, version=1, data={"needs": "x"})
    services.interaction_update(actor=cast["owner"], interaction=interaction, version=1, data={"needs": "三台"})
    interaction.refresh_from_db()
    assert interaction.needs == "三台" and interaction.version == 2


# ---------------------------------------------------------------- contact plans (ACT-2)


def plan_for(actor, customer, *, at=None, remind=15, purpose="回访报价"):
    return services.contact_plan_create(
        actor=actor,
        customer=customer,
        data={"planned_at": at or timezone.now() + timedelta(hours=1), "purpose": purpose, "remind_minutes": remind},
    )


def test_a_plan_reminds_some_minutes_before(cast, customer):
    at = timezone.now() + timedelta(hours=3)
    plan = plan_for(cast["owner"], customer, at=at, remind=30)
    assert plan.remind_at == at - timedelta(minutes=30)
    moved = services.contact_plan_update(
        actor=cast["owner"], plan=plan, version=plan.version, data={"planned_at": at + timedelta(days=1)}
    )
    assert moved.remind_at == at + timedelta(days=1, minutes=-30)


def test_a_done_plan_becomes_an_interaction_once(cast, customer, contact):
    plan = services.contact_plan_create(
        actor=cast["owner"],
        customer=customer,
        data={"planned_at": timezone.now(), "purpose": "确认需求", "contact": contact, "channel": Channel.WECHAT},
    )
    interaction = services.contact_plan_complete(actor=cast["owner"], plan=plan, data={"content": "已确认"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE and plan.interaction_id == interaction.pk
    assert interaction.channel == Channel.WECHAT and interaction.contact_id == contact.pk
    with pytest.raises(Conflict) as again:
        services.contact_plan_complete(actor=cast["owner"], plan=plan, data={"content": "再次"})
    assert again.value.code == "plan_closed"
    assert Interaction.objects.count() == 1


def test_only_the_planner_closes_a_plan(cast, customer):
    plan = plan_for(cast["owner"], customer)
    with pytest.raises(Forbidden):
        services.contact_plan_complete(actor=cast["manager"], plan=plan, data={"content": "x"})
    with pytest.raises(Forbidden):
        services.contact_plan_cancel(actor=cast["colleague"], plan=plan)
    assert services.contact_plan_cancel(actor=cast["owner"], plan=plan).status == PlanStatus.CANCELLED


def test_the_reminder_job_reminds_each_due_plan_once(cast, customer, sent):
    # given a plan at 10:00 with a 15-minute reminder, and one done, one without a reminder
    at = timezone.now() + timedelta(days=1)
    plan = plan_for(cast["owner"], customer, at=at, remind=15)
    closed = plan_for(cast["owner"], customer, at=at, remind=15)
    services.contact_plan_cancel(actor=cast["owner"], plan=closed)
    plan_for(cast["owner"], customer, at=at, remind=None)
    # when the clock has not reached 09:45 → nothing
    assert services.contact_plan_remind_due(now=at - timedelta(minutes=16)) == 0
    # at 09:45 → one reminder to the planner
    assert services.contact_plan_remind_due(now=at - timedelta(minutes=15)) == 1
    assert [c["to"] for c in sent] == [cast["owner"].pk]
    assert sent[0]["kind"] == "contact_plan_reminder" and customer.name in sent[0]["title"]
    assert sent[0]["link"] == f"/activities/plans?plan={plan.pk}"
    # a later run (or an overlapping worker) sends nothing more
    assert services.contact_plan_remind_due(now=at) == 0
    assert len(sent) == 1
    plan.refresh_from_db()
    assert plan.reminded_at == at - timedelta(minutes=15)


def test_the_reminder_job_works_in_bounded_batches(cast, customer, sent):
    now = timezone.now()
    for i in range(5):
        plan_for(cast["owner"], customer, at=now + timedelta(minutes=i), remind=10)
    assert services.contact_plan_remind_due(now=now + timedelta(hours=1), batch=3) == 3
    assert services.contact_plan_remind_due(now=now + timedelta(hours=1), batch=3) == 2
    assert len({c["key"] for c in sent}) == 5


def test_the_reminder_job_waits_while_the_notification_centre_is_missing(cast, customer, monkeypatch):
    from shoal.activities import notify

    monkeypatch.setattr(notify, "available", lambda: False)
    plan = plan_for(cast["owner"], customer, at=timezone.now(), remind=5)
    assert services.contact_plan_remind_due(now=timezone.now()) == 0
    plan.refresh_from_db()
    assert plan.reminded_at is None  # still due once the centre is there


def test_a_moved_plan_reminds_again(cast, customer, sent):
    now = timezone.now()
    plan = plan_for(cast["owner"], customer, at=now, remind=0)
    services.contact_plan_remind_due(now=now)
    plan.refresh_from_db()
    services.contact_plan_update(
        actor=cast["owner"], plan=plan, version=plan.version, data={"planned_at": now + timedelta(hours=2)}
    )
    assert services.contact_plan_remind_due(now=now + timedelta(hours=2)) == 1
    assert len(sent) == 2


# ---------------------------------------------------------------- schedule (ACT-3, ORG-7)


def item_for(actor, **data):
    start = timezone.now() + timedelta(hours=1)
    return services.schedule_create(
        actor=actor, data={"title": "拜访准备", "start_at": start, "end_at": start + timedelta(hours=1), **data}
    )


def test_a_schedule_item_ends_after_it_starts(cast):
    start = timezone.now()
    with pytest.raises(InvalidInput) as refused:
        item_for(cast["owner"], start_at=start, end_at=start - timedelta(minutes=1))
    assert "end_at" in refused.value.fields
    point = item_for(cast["owner"], end_at=None)
    assert point.end_at == point.start_at


def test_a_schedule_item_may_name_only_a_customer_one_sees(cast, customer):
    with pytest.raises(InvalidInput):
        item_for(cast["outsider"], customer=customer)
    assert item_for(cast["owner"], customer=customer).customer_id == customer.pk


def test_ticking_done_records_when(cast):
    item = item_for(cast["owner"])
    item = services.schedule_update(actor=cast["owner"], item=item, version=item.version, data={"done": True})
    assert item.done and item.done_at is not None
    with pytest.raises(Forbidden):
        services.schedule_update(actor=cast["manager"], item=item, version=item.version, data={"done": False})


def test_a_superior_approves_once_and_the_owner_is_told(cast, sent, django_capture_on_commit_callbacks):
    item = item_for(cast["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_comment(actor=cast["manager"], item=item, kind="approval", body="同意，注意报价")
    item.refresh_from_db()
    assert item.approved_by_id == cast["manager"].pk and item.approved_at is not None
    assert [(c["to"], c["kind"]) for c in sent] == [(cast["owner"].pk, "schedule_approval")]
    with pytest.raises(Conflict):
        services.schedule_comment(actor=cast["manager"], item=item, kind="approval")


def test_only_superiors_approve_or_remind(cast):
    item = item_for(cast["owner"])
    for actor in (cast["owner"], cast["colleague"]):
        for kind in ("approval", "reminder"):
            with pytest.raises(Forbidden):
                services.schedule_comment(actor=actor, item=item, kind=kind)
    with pytest.raises(Forbidden):
        services.schedule_comment(actor=cast["colleague"], item=item, kind="comment", body="看看")


def test_a_superiors_reminder_reaches_the_owner(cast, sent, django_capture_on_commit_callbacks):
    item = item_for(cast["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_comment(actor=cast["manager"], item=item, kind="reminder", body="明天前完成")
        services.schedule_comment(actor=cast["owner"], item=item, kind="comment", body="收到")
    assert [(c["to"], c["kind"]) for c in sent] == [(cast["owner"].pk, "schedule_reminder")]
    assert item.comments.count() == 2


# ---------------------------------------------------------------- visits (ACT-5)


def test_a_visit_logs_an_interaction_and_sets_the_intent_level(cast, customer, contact):
    plan = plan_for(cast["owner"], customer)
    visit = services.visit_create(
        actor=cast["owner"],
        customer=customer,
        data={"place": "客户公司", "purpose": "演示", "outcome": "客户认可方案", "intent_level_after": 3},
        contacts=[contact],
        companions=[cast["colleague"], cast["owner"]],
        plan=plan,
    )
    customer.refresh_from_db()
    plan.refresh_from_db()
    assert customer.intent_level == 3 and customer.last_followed_at == visit.visited_at
    assert visit.interaction.channel == Channel.VISIT and visit.interaction.contact_id == contact.pk
    assert list(visit.companions.all()) == [cast["colleague"]]
    assert plan.status == PlanStatus.DONE and plan.interaction_id == visit.interaction_id
    assert customer.events.filter(action="edit").exists()  # the intent level change is in the history


def test_a_visit_needs_an_outcome_and_the_customers_own_contacts(cast, customer):
    with pytest.raises(InvalidInput):
        services.visit_create(actor=cast["owner"], customer=customer, data={"outcome": ""})
    other = Contact.objects.create(customer=CustomerFactory(), name="别人")
    with pytest.raises(InvalidInput):
        services.visit_create(actor=cast["owner"], customer=customer, data={"outcome": "好"}, contacts=[other])
    assert not Visit.objects.exists() and not Interaction.objects.exists()


# ---------------------------------------------------------------- merges (CUS-6)


def test_a_merge_keeps_every_activity_on_the_survivor(cast, customer):
    from shoal.customers.services import customer_merge

    other = CustomerFactory(name="蓝海贸易(旧)", owner=cast["owner"])
    log(cast["owner"], other)
    plan_for(cast["owner"], other)
    services.visit_create(actor=cast["owner"], customer=other, data={"outcome": "见面"})
    item_for(cast["owner"], customer=other)
    result = customer_merge(actor=cast["manager"], target=customer.pk, ids=[other.pk])
    assert result.succeeded == [other.pk]
    for model in (Interaction, ContactPlan, Visit, ScheduleItem):
        assert not model.objects.filter(customer=other).exists()
        assert model.objects.filter(customer=customer).exists()
    assert Customer.objects.get(pk=other.pk).merged_into_id == customer.pk


def test_the_periodic_task_runs_the_reminder_service(cast, customer, sent):
    from shoal.activities.tasks import contact_plan_reminders

    plan_for(cast["owner"], customer, at=timezone.now(), remind=5)
    assert contact_plan_reminders.call_local() == 1
    assert [c["to"] for c in sent] == [cast["owner"].pk]
