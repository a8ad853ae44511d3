"""Money is exact (SAL-7): whatever sequence of plans, payments and write-offs people try, the sums of
contract, plans and payments agree and nothing goes negative or over."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shoal.contracts import services
from shoal.contracts.models import Payment, PaymentPlan
from shoal.core.errors import ShoalError
from shoal.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

cents = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("plan"), cents),
        st.tuples(st.just("pay"), st.integers(0, 5), cents),
        st.tuples(st.just("write_off"), st.integers(0, 5)),
        st.tuples(st.just("resize"), st.integers(0, 5), cents),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=cents, script=steps)
def test_contract_plan_and_payment_totals_always_agree(cast, amount, script):
    owner, manager = cast["owner"], cast["manager"]
    contract = services.contract_create(
        actor=owner, customer=CustomerFactory(owner=owner), data={"title": "t", "amount": amount}
    )
    for step in script:
        plans = list(PaymentPlan.objects.filter(contract=contract).order_by("pk"))
        try:
            if step[0] == "plan":
                services.plan_create(actor=owner, contract=contract, due_on=date(2026, 5, 1), amount=step[1])
            elif plans and step[0] == "pay":
                target = plans[step[1] % len(plans)]
                services.payment_record(actor=owner, plan=target, amount=step[2], received_on=date(2026, 5, 2))
            elif plans and step[0] == "write_off":
                target = plans[step[1] % len(plans)]
                services.plan_write_off(actor=manager, ids=[target.pk], reason="坏账", visible=PaymentPlan.objects)
            elif plans and step[0] == "resize":
                target = plans[step[1] % len(plans)]
                services.plan_update(actor=owner, plan=target, version=target.version, data={"amount": step[2]})
        except ShoalError:
            pass  # refused as a whole: the invariants below must still hold
        contract.refresh_from_db()
        rows = list(PaymentPlan.objects.filter(contract=contract))
        paid = sum((p.amount for p in Payment.objects.filter(contract=contract)), Decimal(0))
        assert contract.planned == sum((p.amount for p in rows), Decimal(0)) <= contract.amount
        assert contract.received == sum((p.received for p in rows), Decimal(0)) == paid
        assert contract.written_off == sum((p.written_off for p in rows), Decimal(0))
        for p in rows:
            assert p.received >= 0 and p.written_off >= 0 and p.received + p.written_off <= p.amount
            assert (p.status == "paid") == (p.received == p.amount and p.written_off == 0)
        assert contract.amount - contract.received - contract.written_off >= 0
