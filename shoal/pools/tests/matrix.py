"""Authorization-matrix entries of the pools (CUS-1, SYS-2)."""

from shoal.core.tests.matrix_cases import CUSTOMERS, Case, batch_of, one, version_of


def _default_pool(w):
    from shoal.pools.selectors import default_pool

    return default_pool()


def _rules_version(w, a, t):
    from shoal.pools.models import PoolRules

    return PoolRules.objects.filter(pool_id=t.ids["pk"]).values_list("version", flat=True).first() or 1


def lock_rule(w, actor, key):
    # Own customers only; the world's pool does not enable locking.
    if key is None or CUSTOMERS[key].deleted or CUSTOMERS[key].owner != actor:
        return "not_found"
    return "locking_disabled"


def unlock_rule(w, actor, key):
    if key is None or CUSTOMERS[key].deleted or CUSTOMERS[key].owner != actor:
        return "not_found"
    return "ok"


def move_rule(w, actor, key):
    return "not_found" if key is None or CUSTOMERS[key].deleted else "ok"


def _pool_version(w, a, t):
    from shoal.pools.models import Pool

    return version_of(w, t, Pool)


TABLE = {
    ("/api/v1/pools/", "GET"): [Case(perm="customer.view_pool")],
    ("/api/v1/pools/", "POST"): [
        Case(perm="pool.manage", body=lambda w, a, t: {"name": f"矩阵公海{a}"}, ok=201),
    ],
    ("/api/v1/pools/{pk}/", "GET"): [Case(targets=one(_default_pool), perm="customer.view_pool")],
    ("/api/v1/pools/{pk}/", "PATCH"): [
        Case(
            targets=one(_default_pool),
            perm="pool.manage",
            body=lambda w, a, t: {"version": _pool_version(w, a, t), "description": "改"},
        )
    ],
    # the default pool cannot be deleted: an administrator gets 409, everyone else 403
    ("/api/v1/pools/{pk}/", "DELETE"): [Case(targets=one(_default_pool), perm="pool.manage", ok=409)],
    ("/api/v1/pools/{pk}/rules/", "GET"): [Case(targets=one(_default_pool), perm="customer.view_pool")],
    ("/api/v1/pools/{pk}/rules/", "PATCH"): [
        Case(
            targets=one(_default_pool),
            perm="pool.manage",
            body=lambda w, a, t: {"version": _rules_version(w, a, t), "mask_phones": True},
        )
    ],
    ("/api/v1/pools/{pk}/preview/", "POST"): [
        Case(targets=one(_default_pool), perm="pool.manage", body={"auto_return": True, "no_follow_up_days": 1})
    ],
    ("/api/v1/pools/move/", "POST"): [
        Case(perm="pool.manage", body=batch_of(lambda w, a: {"to": _default_pool(w).pk}), batch=move_rule)
    ],
    ("/api/v1/pools/lock/", "POST"): [Case(perm="customer.lock", body=batch_of(), batch=lock_rule)],
    ("/api/v1/pools/unlock/", "POST"): [Case(perm="customer.lock", body=batch_of(), batch=unlock_rule)],
    ("/api/v1/pools/health/", "GET"): [Case(perm="customer.pool_health")],
}
