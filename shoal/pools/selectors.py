"""Reads of pools that depend on who asks: which pools a user may see and claim from (CUS-1)."""

from django.db.models import Q, QuerySet

from shoal.org.models import User
from shoal.pools.models import Pool, PoolRules
from shoal.pools.permissions import Permission


def default_pool() -> Pool:
    pool = Pool.objects.filter(is_default=True).first()
    if pool is None:  # transactional tests flush the row the migration seeded
        pool, _created = Pool.objects.get_or_create(name="公司公海", defaults={"is_default": True})
        PoolRules.objects.get_or_create(pool=pool)
    return pool


def _department_chain(user: User) -> list[int]:
    if not user.department_id:
        return []
    path = user.department.path or ""
    return [int(p) for p in path.strip("/").split("/") if p] or [user.department_id]


def pool_ids_open_to(user: User) -> set[int] | None:
    """The pools ``user`` may see and claim from; None = every pool. A pool with no member users and
    no member departments is open to all; otherwise to its members (a department's sub-departments
    included) and its administrators."""
    if user.has_permission(Permission.MANAGE):
        return None
    restricted = Q(member_users__isnull=False) | Q(member_departments__isnull=False)
    if not Pool.objects.filter(restricted).exists():
        return None  # the usual case: every pool open to all (one query)
    pools = list(Pool.objects.prefetch_related("member_users", "member_departments", "administrators").order_by("id"))
    chain = set(_department_chain(user))
    open_ids = set()
    for pool in pools:
        users = {u.pk for u in pool.member_users.all()}
        departments = {d.pk for d in pool.member_departments.all()}
        admins = {u.pk for u in pool.administrators.all()}
        if (not users and not departments) or user.pk in users | admins or chain & departments:
            open_ids.add(pool.pk)
    if len(open_ids) == len(pools):
        return None
    return open_ids


def customers_in_pools_q(pool_ids: set[int] | list[int], default_id: int) -> Q:
    """Customers sitting in any of ``pool_ids`` (NULL means the default pool)."""
    q = Q(pool_id__in=sorted(pool_ids))
    if default_id in pool_ids:
        q |= Q(pool_id__isnull=True)
    return q


def pool_list(*, user: User) -> QuerySet[Pool]:
    qs = Pool.objects.select_related("rules").prefetch_related("administrators", "member_users", "member_departments")
    default_pool()
    ids = pool_ids_open_to(user)
    return qs if ids is None else qs.filter(pk__in=sorted(ids))


def pool_get(*, user: User, pk) -> Pool:
    from shoal.core.errors import NotFound

    pool = pool_list(user=user).filter(pk=pk).first()
    if pool is None:
        raise NotFound()
    return pool


def pool_health(*, user: User, pool: Pool | None = None, now=None, days: int = 30) -> dict:
    """CUS-1 pool health for managers: claim → first follow-up time, customers never followed up
    since their claim, returns per rep, auto-returns, and how fresh the unclaimed customers are."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from shoal.customers.models import Customer, CustomerEvent
    from shoal.pools.models import Cooldown, ReturnRun

    now = now or timezone.now()
    since = now - timedelta(days=days)
    live = Customer.objects.filter(deleted_at__isnull=True)
    if pool is not None:
        live = live.filter(customers_in_pools_q({pool.pk}, default_pool().pk))
    claimed = live.filter(owner_id__isnull=False)
    recent = list(
        claimed.filter(claimed_at__gte=since, claim_followed_at__isnull=False)
        .order_by()
        .values_list("claimed_at", "claim_followed_at")[:10_000]
    )
    hours = [max(0.0, (f - c).total_seconds() / 3600) for c, f in recent]
    hours.sort()
    lost = Cooldown.objects.filter(lost_at__gte=since)
    if pool is not None:
        lost = lost.filter(customer__in=live)
    per_rep = list(lost.values("user_id", "user__name").annotate(n=Count("id")).order_by("-n", "user_id")[:10])
    returns = CustomerEvent.objects.filter(action="return", actor__isnull=True, created_at__gte=since)
    if pool is not None:
        returns = returns.filter(customer__in=live)
    unclaimed = live.filter(owner_id__isnull=True)
    fresh_cut, stale_cut = now - timedelta(days=30), now - timedelta(days=90)
    last_run = ReturnRun.objects.order_by("-id").values("started_at", "finished_at", "returned", "warned").first()
    return {
        "days": days,
        "claimed": claimed.count(),
        "unclaimed": unclaimed.count(),
        "claims_followed": len(hours),
        "first_follow_up_hours_median": round(hours[len(hours) // 2], 1) if hours else None,
        "first_follow_up_hours_avg": round(sum(hours) / len(hours), 1) if hours else None,
        "never_followed": claimed.filter(claim_followed_at__isnull=True).count(),
        "auto_returned": returns.count(),
        "returns_per_rep": [{"id": r["user_id"], "name": r["user__name"], "count": r["n"]} for r in per_rep],
        "freshness": {
            "never_followed": unclaimed.filter(last_followed_at__isnull=True).count(),
            "within_30_days": unclaimed.filter(last_followed_at__gte=fresh_cut).count(),
            "within_90_days": unclaimed.filter(last_followed_at__lt=fresh_cut, last_followed_at__gte=stale_cut).count(),
            "older": unclaimed.filter(last_followed_at__lt=stale_cut).count(),
        },
        "last_run": last_run,
    }
