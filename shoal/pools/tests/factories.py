from shoal.pools.models import Pool, PoolRules
from shoal.pools.selectors import default_pool


def set_rules(pool: Pool | None = None, **values) -> PoolRules:
    """Switch rules on for a pool (the default one unless given)."""
    pool = pool or default_pool()
    rules, _created = PoolRules.objects.get_or_create(pool=pool)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def make_pool(name: str, **members) -> Pool:
    default_pool()
    pool = Pool.objects.create(name=name)
    PoolRules.objects.create(pool=pool)
    for relation, rows in members.items():
        getattr(pool, relation).set(rows)
    return pool
