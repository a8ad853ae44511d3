from django.db import models


class Permission(models.TextChoices):
    MANAGE = "pool.manage"  # CUS-1/SYS-2 administrators: pools, members, rules, preview, moving customers
    HEALTH = "customer.pool_health"  # managers: the pool health dashboard
    LOCK = "customer.lock"  # a rep locks own customers against auto-return (up to the pool's limit)
