"""Races settled by the database (SAL-6/7): real threads, each with its own connection."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from shoal.contracts import services
from shoal.contracts.models import Contract, Payment, PaymentPlan
from shoal.contracts.tests.factories import contract, plan
from shoal.core.errors import InvalidInput
from shoal.customers.models import Share
from shoal.customers.tests.factories import CustomerFactory
from shoal.customers.tests.test_concurrency import run_together
from shoal.opportunities.models import Conflict
from shoal.opportunities.tests.factories import opportunity

pytestmark = pytest.mark.django_db(transaction=True)


def _try(function):
    try:
        return function()
    except InvalidInput as error:
        return error


def test_two_people_recording_payments_on_one_plan_at_once_cannot_over_pay(cast):
    made = contract(CustomerFactory(owner=cast["owner"]), cast["owner"], "1000.00")
    target = plan(made, "1000.00")
    people = [cast["owner"], cast["manager"]] * 4

    def pay(person):
        fresh = PaymentPlan.objects.select_related("contract", "customer").get(pk=target.pk)
        return _try(
            lambda: services.payment_record(
                actor=person, plan=fresh, amount=Decimal("300.00"), received_on=date.today()
            )
        )

    results = run_together([lambda p=p: pay(p) for p in people])
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(refused) == 5 and {r.code for r in refused} == {"overpayment"}
    target.refresh_from_db()
    assert target.received == Decimal("900.00") == sum(p.amount for p in Payment.objects.filter(plan=target))
    assert Contract.objects.get(pk=made.pk).received == Decimal("900.00")


def test_instalments_added_at_once_never_exceed_the_contract(cast):
    made = contract(CustomerFactory(owner=cast["owner"]), cast["owner"], "1000.00")

    def add():
        fresh = Contract.objects.select_related("customer").get(pk=made.pk)
        return _try(
            lambda: services.plan_create(
                actor=cast["owner"], contract=fresh, due_on=date.today(), amount=Decimal("400")
            )
        )

    results = run_together([add for _ in range(6)])
    assert sum(1 for r in results if isinstance(r, InvalidInput)) == 4
    assert Contract.objects.get(pk=made.pk).planned == Decimal("800.00")


def test_contracts_created_at_once_get_distinct_numbers(cast):
    customer = CustomerFactory(owner=cast["owner"])
    results = run_together([lambda: contract(customer, cast["owner"]) for _ in range(8)])
    assert len({c.number for c in results}) == 8


def test_two_requests_at_once_make_one_conflict(cast):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    run_together([lambda: opportunity(customer, cast["sharee"]) for _ in range(4)])
    assert Conflict.objects.filter(customer=customer).count() == 1
    assert connection.vendor in {"postgresql", "sqlite"}
