"""Customer pools and their rules (CUS-1, SYS-2): which pool a customer sits in, who may see and claim
from it, and the rules enforced when ownership changes. The customer's pool and its countdown
(``return_due_at``) live on the customer row so lists sort by them without a join."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shoal.core.models import TimeStampedModel, VersionedModel


class Pool(VersionedModel):
    """A pool (公海). Customers whose ``pool`` is NULL sit in the default pool, so rows created by any
    path (imports, other apps, old data) need no pool id. A pool without member users or departments
    is open to everyone who may view the pool."""

    name = models.CharField(max_length=50, unique=True)
    description = models.CharField(max_length=200, blank=True, default="")
    is_default = models.BooleanField(default=False)
    position = models.IntegerField(default=0)
    administrators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="administered_pools")
    member_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="member_pools")
    member_departments = models.ManyToManyField("org.Department", blank=True, related_name="member_pools")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="pools_pool_one_default")
        ]

    def __str__(self) -> str:
        return self.name


class HoldingScope(models.TextChoices):
    USER = "user", "每人"  # Y customers per rep
    DEPARTMENT = "department", "每部门"  # Y customers across the rep's department


class PoolRules(VersionedModel):
    """The rules of one pool, each on/off with its numbers (CUS-1, SYS-2). Day counts per customer
    level override the pool-wide ones: ``level_days = {"a": {"no_follow_up_days": 60, …}}``."""

    pool = models.OneToOneField(Pool, on_delete=models.CASCADE, related_name="rules", primary_key=True)
    # auto-return
    auto_return = models.BooleanField(default=False)
    no_follow_up_days = models.PositiveIntegerField(null=True, blank=True)  # N: no follow-up record for N days
    no_deal_days = models.PositiveIntegerField(null=True, blank=True)  # M: no won deal for M days
    after_contract_days = models.PositiveIntegerField(null=True, blank=True)  # P: days after the last contract ended
    level_days = models.JSONField(default=dict, blank=True)
    exempt_open_deals = models.BooleanField(default=True)
    exempt_signed_contracts = models.BooleanField(default=True)
    exempt_locked = models.BooleanField(default=False)
    lock_limit = models.PositiveIntegerField(default=0)  # K customers a rep may lock
    return_to = models.ForeignKey(Pool, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # warning before auto-return
    warning = models.BooleanField(default=False)
    warning_days = models.PositiveIntegerField(default=3)  # D
    # claim limit per rep per day (deal customers excluded)
    daily_claim = models.BooleanField(default=False)
    daily_claim_limit = models.PositiveIntegerField(default=20)  # X
    # holding limit
    holding = models.BooleanField(default=False)
    holding_limit = models.PositiveIntegerField(default=200)  # Y
    holding_scope = models.CharField(max_length=20, choices=HoldingScope.choices, default=HoldingScope.USER)
    holding_counts_deals = models.BooleanField(default=False)
    # previous-owner cool-down
    cooldown = models.BooleanField(default=False)
    cooldown_days = models.PositiveIntegerField(default=7)  # Z
    # masked phones in the pool until claimed
    mask_phones = models.BooleanField(default=False)
    # anti-harvest: public details of pool customers viewed per rep per day
    view_limit = models.BooleanField(default=False)
    daily_view_limit = models.PositiveIntegerField(default=100)  # V

    def __str__(self) -> str:
        return f"rules of pool {self.pool_id}"


class Cooldown(models.Model):
    """When a user last lost a customer (returned, recalled, auto-returned); the previous-owner
    cool-down of the customer's pool counts from here (so a rule switched on later still applies)."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lost_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "user"], name="pools_cooldown_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} lost #{self.customer_id} at {self.lost_at}"


class CounterKind(models.TextChoices):
    CLAIM = "claim", "领用"  # claims of non-deal customers
    VIEW = "view", "查看"  # distinct pool customers whose details were viewed


class DailyCounter(models.Model):
    """How often a rep did something in a pool on one (local) day; read and bumped under the rep's lock."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=CounterKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "pool", "day", "kind"], name="pools_dailycounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.day}: {self.count}"


class PoolView(models.Model):
    """One pool customer's details seen by a rep on a day (anti-harvest counts distinct customers)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day", "customer"], name="pools_poolview_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} saw #{self.customer_id} on {self.day}"


class ReturnRun(TimeStampedModel):
    """One run of the auto-return job (for the operator and the health dashboard)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    returned = models.PositiveIntegerField(default=0)
    warned = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"run {self.pk}: {self.returned} returned"
