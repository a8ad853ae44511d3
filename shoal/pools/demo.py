"""Demo pool rules for `make run` / `make demo`: the company pool with the usual rules switched on, and
a second pool for the South China region holding some of the unclaimed customers."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shoal.customers.models import Customer
from shoal.org.models import Department, User
from shoal.pools import services
from shoal.pools.models import Pool, PoolRules
from shoal.pools.selectors import default_pool

SOUTH = "华南公海"


@transaction.atomic
def demo_create() -> None:
    pool = default_pool()
    PoolRules.objects.filter(pool=pool).update(
        auto_return=True,
        no_follow_up_days=30,
        no_deal_days=90,
        level_days={"a": {"no_follow_up_days": 60, "no_deal_days": 180}},
        warning=True,
        warning_days=3,
        daily_claim=True,
        daily_claim_limit=20,
        holding=True,
        holding_limit=200,
        cooldown=True,
        cooldown_days=7,
        mask_phones=True,
    )
    south_dept = Department.objects.filter(name="华南大区").first()
    if south_dept is not None and not Pool.objects.filter(name=SOUTH).exists():
        south = Pool.objects.create(name=SOUTH, description="华南大区专属客户池", position=1)
        PoolRules.objects.create(pool=south, auto_return=True, no_follow_up_days=15, mask_phones=True)
        south.member_departments.set([south_dept])
        manager = User.objects.filter(username="liuyang").first()
        if manager is not None:
            south.administrators.set([manager])
        free = list(Customer.objects.filter(owner__isnull=True, province="440000").values_list("pk", flat=True)[:20])
        Customer.objects.filter(pk__in=free).update(pool=south)
    # Demo customers were all claimed "now": spread the claims over the last weeks so the 剩余天数
    # column shows a realistic mix (none overdue at the first run of the job).
    rng = random.Random(6)
    now = timezone.now()
    claimed = list(Customer.objects.filter(owner__isnull=False, claimed_at__isnull=False).values_list("pk", flat=True))
    for pk in claimed:
        Customer.objects.filter(pk=pk).update(
            claimed_at=now - timedelta(days=rng.randrange(5, 29), hours=rng.randrange(24))
        )
    services.countdown_refresh()


def demo_delete() -> None:
    Customer.objects.exclude(pool=None).update(pool=None)
    Pool.objects.filter(is_default=False).delete()
