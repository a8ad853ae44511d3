"""Claims racing under pool rules (real threads, PostgreSQL): the daily and holding limits hold."""

import pytest

from shoal.customers import services
from shoal.customers.models import Customer
from shoal.customers.tests.factories import CustomerFactory
from shoal.customers.tests.test_concurrency import run_together
from shoal.org.tests.factories import UserFactory, role
from shoal.pools.models import DailyCounter
from shoal.pools.tests.factories import set_rules

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_claims_never_exceed_the_daily_claim_limit(cast):
    set_rules(daily_claim=True, daily_claim_limit=3)
    rep = cast["owner"]
    customers = [CustomerFactory() for _ in range(10)]

    results = run_together([lambda c=c: services.customer_claim(actor=rep, ids=[c.pk]) for c in customers])

    assert Customer.objects.filter(owner=rep).count() == 3
    assert DailyCounter.objects.get(user=rep).count == 3
    assert sorted(f["code"] for r in results for f in r.failed) == ["claim_limit_reached"] * 7


def test_parallel_claims_never_exceed_the_holding_limit(cast):
    set_rules(holding=True, holding_limit=4, auto_return=True, no_follow_up_days=7)
    rep = cast["owner"]
    customers = [CustomerFactory() for _ in range(10)]

    run_together([lambda c=c: services.customer_claim(actor=rep, ids=[c.pk]) for c in customers])

    assert Customer.objects.filter(owner=rep).count() == 4
    assert Customer.objects.filter(owner=rep, return_due_at__isnull=False).count() == 4


def test_a_department_racing_never_exceeds_its_holding_limit(cast, company):
    set_rules(holding=True, holding_limit=3, holding_scope="department")
    reps = [UserFactory(role=role("sales_rep"), department=company["team_b"]) for _ in range(6)]
    customers = [CustomerFactory() for _ in range(6)]

    run_together(
        [lambda r=r, c=c: services.customer_claim(actor=r, ids=[c.pk]) for r, c in zip(reps, customers, strict=True)]
    )

    assert Customer.objects.filter(owner__department=company["team_b"]).count() == 3
