from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shoal.contracts import services
from shoal.contracts.deal_facts import customer_deal_facts
from shoal.contracts.models import CollectionTask, Contract, ContractEvent, PaymentPlan
from shoal.contracts.tests.factories import contract, plan
from shoal.core.errors import Forbidden, InvalidInput
from shoal.customers.models import Share
from shoal.customers.tests.factories import CustomerFactory
from shoal.opportunities import services as opportunity_services
from shoal.opportunities.tests.factories import opportunity

pytestmark = pytest.mark.django_db
D = Decimal


def test_contract_numbers_count_up_within_the_year(cast):
    customer = CustomerFactory(owner=cast["owner"])
    first, second = contract(customer, cast["owner"]), contract(customer, cast["owner"])
    year = timezone.localdate().year
    assert first.number == f"HT{year}00001" and second.number == f"HT{year}00002"
    assert first.party_a == customer.name


def test_a_contract_from_an_opportunity_needs_it_won(cast, stage):
    customer = CustomerFactory(owner=cast["owner"])
    opp = opportunity(customer, cast["owner"], expected_amount=D("8800.00"))
    with pytest.raises(InvalidInput):
        services.contract_create(actor=cast["owner"], customer=customer, data={}, opportunity=opp)
    opportunity_services.opportunity_update(
        actor=cast["owner"], opportunity=opp, version=1, data={"stage": stage["won"], "close_reason": "签了"}
    )
    opp.refresh_from_db()
    made = services.contract_create(actor=cast["owner"], customer=customer, data={}, opportunity=opp)
    assert made.amount == D("8800.00") and made.opportunity == opp and made.title == opp.title


def test_status_moves_only_along_the_allowed_transitions(cast):
    made = contract(CustomerFactory(owner=cast["owner"]), cast["owner"])
    with pytest.raises(InvalidInput):
        services.contract_transition(actor=cast["owner"], contract=made, status="completed")
    for step in ("in_approval", "active", "completed"):
        made = services.contract_transition(actor=cast["owner"], contract=made, status=step)
    assert made.status == "completed" and made.signed_on == timezone.localdate()
    with pytest.raises(InvalidInput):
        services.contract_transition(actor=cast["owner"], contract=made, status="terminated")
    assert ContractEvent.objects.filter(contract=made, action="status").count() == 3


def test_instalments_never_add_up_to_more_than_the_contract(cast):
    made = contract(CustomerFactory(owner=cast["owner"]), cast["owner"], "1000.00")
    plan(made, "600.00")
    with pytest.raises(InvalidInput) as error:
        plan(made, "400.01")
    assert error.value.code == "plans_exceed_amount" and "399.99" not in str(error.value.message)
    plan(made, "400.00")
    made.refresh_from_db()
    assert made.planned == D("1000.00")
    with pytest.raises(InvalidInput):
        services.contract_update(actor=cast["owner"], contract=made, version=made.version, data={"amount": D("999")})


def test_partial_payments_then_overpayment_is_refused_with_the_amount_left(cast):
    made = contract(CustomerFactory(owner=cast["owner"]), cast["owner"], "1000.00")
    first = plan(made, "600.00")
    services.payment_record(actor=cast["owner"], plan=first, amount=D("250.00"), received_on=date.today())
    first.refresh_from_db()
    assert first.status == "partial" and first.received == D("250.00")
    with pytest.raises(InvalidInput) as error:
        services.payment_record(actor=cast["owner"], plan=first, amount=D("350.01"), received_on=date.today())
    assert error.value.code == "overpayment" and "350.00" in str(error.value.message)
    services.payment_record(actor=cast["owner"], plan=first, amount=D("350.00"), received_on=date.today())
    first.refresh_from_db()
    made.refresh_from_db()
    assert first.status == "paid" and made.received == D("600.00")


def test_a_read_only_sharee_cannot_record_payments(cast):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    first = plan(contract(customer, cast["owner"]), "100.00")
    with pytest.raises(Forbidden):
        services.payment_record(actor=cast["sharee"], plan=first, amount=D("1"), received_on=date.today())


def test_write_off_by_a_manager_settles_what_is_left(cast):
    customer = CustomerFactory(owner=cast["owner"])
    made = contract(customer, cast["owner"], "1000.00")
    first = plan(made, "1000.00")
    services.payment_record(actor=cast["owner"], plan=first, amount=D("300.00"), received_on=date.today())
    result = services.plan_write_off(
        actor=cast["manager"], ids=[first.pk], reason="客户破产", visible=PaymentPlan.objects.all()
    )
    assert result.succeeded == [first.pk]
    first.refresh_from_db()
    made.refresh_from_db()
    assert first.status == "written_off" and first.written_off == D("700.00") and first.write_off_reason == "客户破产"
    assert made.written_off == D("700.00")
    again = services.plan_write_off(
        actor=cast["manager"], ids=[first.pk], reason="x", visible=PaymentPlan.objects.all()
    )
    assert again.failed[0]["code"] == "nothing_outstanding"
    outsider = services.plan_write_off(
        actor=cast["outsider"], ids=[first.pk], reason="x", visible=PaymentPlan.objects.none()
    )
    assert outsider.failed[0]["code"] == "not_found"


def test_overdue_is_marked_daily_and_collection_tasks_are_made_once(cast):
    customer = CustomerFactory(owner=cast["owner"])
    made = contract(customer, cast["owner"], "3000.00")
    now = timezone.now()
    today = timezone.localdate(now)
    late = plan(made, "1000.00", due_on=today - timedelta(days=2))
    soon = plan(made, "1000.00", due_on=today + timedelta(days=3))
    later = plan(made, "1000.00", due_on=today + timedelta(days=30))
    PaymentPlan.objects.update(is_overdue=False)  # as before the first daily run
    services.plans_refresh_overdue(now=now)
    assert set(PaymentPlan.objects.filter(is_overdue=True).values_list("pk", flat=True)) == {late.pk}
    assert services.plans_refresh_overdue(now=now) == 0
    # instalments inside the window got their task when they were planned; the job adds nothing
    assert services.collection_tasks_generate(now=now) == 0
    CollectionTask.objects.all().delete()
    assert services.collection_tasks_generate(now=now) == 2
    assert services.collection_tasks_generate(now=now) == 0
    tasks = CollectionTask.objects.filter(owner=cast["owner"])
    assert set(tasks.values_list("plan_id", flat=True)) == {late.pk, soon.pk}
    # a month later the third one is due too
    assert services.collection_tasks_generate(now=now + timedelta(days=25)) == 1
    assert later.pk in set(tasks.values_list("plan_id", flat=True))
    # paying the instalment closes its task
    services.payment_record(actor=cast["owner"], plan=soon, amount=D("1000.00"), received_on=today)
    assert CollectionTask.objects.get(plan=soon).status == "done"


def test_deal_facts_follow_opportunities_and_contracts(cast, stage):
    customer = CustomerFactory(owner=cast["owner"])
    assert customer_deal_facts(customer.pk) == {
        "last_deal_at": None,
        "contract_ended_on": None,
        "open_deals": 0,
        "signed_contracts": 0,
    }
    opp = opportunity(customer, cast["owner"])
    assert customer_deal_facts(customer.pk)["open_deals"] == 1
    opportunity_services.opportunity_update(
        actor=cast["owner"], opportunity=opp, version=1, data={"stage": stage["won"], "close_reason": "ok"}
    )
    opp.refresh_from_db()
    facts = customer_deal_facts(customer.pk)
    assert facts["last_deal_at"] == opp.closed_at and facts["open_deals"] == 0
    made = contract(customer, cast["owner"], ends_on=date(2027, 1, 31), starts_on=date(2026, 2, 1))
    assert customer_deal_facts(customer.pk)["open_deals"] == 1
    services.contract_transition(actor=cast["owner"], contract=made, status="in_approval")
    services.contract_transition(actor=cast["owner"], contract=Contract.objects.get(pk=made.pk), status="active")
    assert customer_deal_facts(customer.pk)["contract_ended_on"] == date(2027, 1, 31)
    # published to the customer, where the pool rules read them (issue 6: deal customers, exemptions)
    customer.refresh_from_db()
    assert customer.signed_contracts == 1 and customer.open_deals == 1
    assert customer.last_deal_at == opp.closed_at
