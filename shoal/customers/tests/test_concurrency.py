"""Races settled by the database (ARCHITECTURE.md): real threads, each with its own connection."""

import threading

import pytest
from django.db import connection

from shoal.customers import services
from shoal.customers.models import Customer, CustomerEvent
from shoal.customers.tests.factories import CustomerFactory
from shoal.org.tests.factories import UserFactory, role

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(functions):
    """Start every function at the same moment; collect their results."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)
    errors = []

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 — reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def test_many_reps_claiming_one_customer_at_once_leaves_exactly_one_winner(cast, company):
    reps = [UserFactory(role=role("sales_rep"), department=company["team_a"]) for _ in range(12)]
    customer = CustomerFactory()

    results = run_together([lambda rep=rep: services.customer_claim(actor=rep, ids=[customer.pk]) for rep in reps])

    winners = [r for r in results if r.succeeded]
    assert len(winners) == 1
    assert sorted({f["code"] for r in results for f in r.failed}) == ["already_claimed"]
    customer.refresh_from_db()
    assert customer.owner_id in {rep.pk for rep in reps}
    assert CustomerEvent.objects.filter(customer=customer, action="claim").count() == 1


def test_one_rep_claiming_in_parallel_never_exceeds_the_holding_limit(cast):
    from shoal.pools.tests.factories import set_rules

    set_rules(holding=True, holding_limit=3)
    rep = cast["owner"]
    customers = [CustomerFactory() for _ in range(10)]

    run_together([lambda c=c: services.customer_claim(actor=rep, ids=[c.pk]) for c in customers])

    assert Customer.objects.filter(owner=rep).count() == 3


def test_two_editors_with_the_same_version_one_wins_one_gets_stale(cast):
    from shoal.core.errors import StaleVersion

    customer = CustomerFactory(owner=cast["owner"])

    def edit(text):
        def run():
            fresh = Customer.objects.get(pk=customer.pk)
            try:
                services.customer_update(actor=cast["owner"], customer=fresh, version=1, data={"remarks": text})
            except StaleVersion:
                return "stale"
            return "ok"

        return run

    results = run_together([edit("a"), edit("b"), edit("c")])
    assert sorted(results) == ["ok", "stale", "stale"]
    customer.refresh_from_db()
    assert customer.version == 2
