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
