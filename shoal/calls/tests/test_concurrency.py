"""Phone leases under real concurrency (threads; PostgreSQL in CI): one number, one rep, one day; the quota holds."""

import pytest

from shoal.calls import services
from shoal.calls.models import PhoneLease
from shoal.core.errors import Conflict
from shoal.customers.tests.factories import CustomerFactory
from shoal.customers.tests.test_concurrency import run_together
from shoal.org.tests.factories import UserFactory, role
from shoal.system.models import Parameter

pytestmark = pytest.mark.django_db(transaction=True)


def _ask(rep, count):
    def run():
        try:
            return [lease.customer_id for lease in services.lease_request(actor=rep, count=count)]
        except Conflict as error:
            return error.code

    return run


def test_many_reps_requesting_at_once_never_share_a_number(cast, company):
    for n in range(40):
        CustomerFactory(phone=f"0571-{n:06d}")
    reps = [UserFactory(role=role("sales_rep"), department=company["team_a"]) for _ in range(8)]

    results = run_together([_ask(rep, 6) for rep in reps])

    taken = [pk for r in results if isinstance(r, list) for pk in r]
    assert len(taken) == len(set(taken)) == 40  # 48 asked for, 40 in the pool: each lent exactly once
    assert {r for r in results if not isinstance(r, list)} <= {"pool_exhausted"}
    assert PhoneLease.objects.count() == 40


def test_one_rep_requesting_in_parallel_stays_within_the_quota(cast):
    for n in range(30):
        CustomerFactory(phone=f"0571-{n:06d}")
    Parameter.objects.update_or_create(key="call_daily_quota", defaults={"value": 5})
    rep = cast["owner"]

    run_together([_ask(rep, 2) for _ in range(6)])

    assert PhoneLease.objects.filter(user=rep).count() == 5
