"""Contracts, payment plans (receivables), received payments and collection tasks (SAL-6, SAL-7)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from shoal.core.models import TimeStampedModel, VersionedModel


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_APPROVAL = "in_approval", "审批中"
    ACTIVE = "active", "执行中"
    COMPLETED = "completed", "已完成"
    TERMINATED = "terminated", "已终止"


# SAL-6: the only moves a contract's status may make.
TRANSITIONS: dict[str, set[str]] = {
    ContractStatus.DRAFT: {ContractStatus.IN_APPROVAL, ContractStatus.TERMINATED},
    ContractStatus.IN_APPROVAL: {ContractStatus.ACTIVE, ContractStatus.DRAFT, ContractStatus.TERMINATED},
    ContractStatus.ACTIVE: {ContractStatus.COMPLETED, ContractStatus.TERMINATED},
    ContractStatus.COMPLETED: set(),
    ContractStatus.TERMINATED: set(),
}


class ContractCounter(models.Model):
    """The last contract number given out per year; bumped by one conditional UPDATE (no races)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Contract(VersionedModel):
    """SAL-6 合同 with a customer, from a won opportunity, an order, or on its own."""

    number = models.CharField(max_length=30, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="contracts")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    order = models.ForeignKey(  # SAL-6 a contract made from a sales order (SAL-5)
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(max_length=200)
    party_a = models.CharField(max_length=200)  # the customer side (甲方)
    party_b = models.CharField(max_length=200, blank=True, default="")  # our company (乙方)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    signed_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    remarks = models.TextField(blank=True, default="")
    # Denormalised money of the plans, kept by the services in the same transaction as each change.
    planned = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    received = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    written_off = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contracts_contract_amount"),
            models.CheckConstraint(condition=Q(planned__lte=F("amount")), name="contracts_contract_planned"),
            models.CheckConstraint(
                condition=Q(received__gte=0) & Q(written_off__gte=0), name="contracts_contract_money"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contracts_contract_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "status"], name="contracts_customer"),
            models.Index(fields=["status", "-id"], name="contracts_status"),
        ]

    def __str__(self) -> str:
        return self.number


class ContractEvent(models.Model):
    """SAL-6 history of a contract, its plans, payments and write-offs."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20)  # create | edit | status | plan | payment | write_off
    reason = models.CharField(max_length=500, blank=True, default="")
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["contract", "-id"], name="contracts_event")]

    def __str__(self) -> str:
        return f"{self.action} #{self.contract_id}"


class PlanStatus(models.TextChoices):
    PENDING = "pending", "未收"
    PARTIAL = "partial", "部分收款"
    PAID = "paid", "已收清"
    WRITTEN_OFF = "written_off", "坏账核销"


class PaymentPlan(VersionedModel):
    """SAL-7 回款计划: one instalment of a contract. ``received`` and ``written_off`` are kept by the
    services; the check constraint refuses over-payment even if two requests race past a read."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="plans")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="payment_plans")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_plans")
    seq = models.PositiveSmallIntegerField(default=1)
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    received = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    written_off = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.PENDING)
    # Set by the daily job (and by payments): an instalment past its due date with money outstanding.
    is_overdue = models.BooleanField(default=False)
    write_off_reason = models.CharField(max_length=500, blank=True, default="")
    written_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_off_at = models.DateTimeField(null=True, blank=True)
    remarks = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contracts_plan_amount"),
            models.CheckConstraint(
                condition=Q(received__gte=0) & Q(written_off__gte=0), name="contracts_plan_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=F("received") + F("written_off")), name="contracts_plan_not_over"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "due_on"], name="contracts_plan_owner_due"),
            models.Index(fields=["customer", "due_on"], name="contracts_plan_customer"),
            models.Index(fields=["status", "due_on"], name="contracts_plan_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.seq}"


class Payment(TimeStampedModel):
    """SAL-7 已收款: money received against one instalment."""

    plan = models.ForeignKey(PaymentPlan, on_delete=models.PROTECT, related_name="payments")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    received_on = models.DateField()
    method = models.CharField(max_length=30, blank=True, default="")  # bank transfer, cash, cheque…
    remarks = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="contracts_payment_amount")]
        indexes = [models.Index(fields=["customer", "-received_on"], name="contracts_payment_customer")]


class TaskStatus(models.TextChoices):
    OPEN = "open", "待催款"
    DONE = "done", "已完成"


class CollectionTask(TimeStampedModel):
    """SAL-7 催款任务: remind the rep to collect an instalment that is due soon or overdue.
    At most one open task per instalment (the daily job is idempotent by this constraint)."""

    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="tasks")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="collection_tasks")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_tasks")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="open"), name="contracts_task_one_open_per_plan"
            ),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="contracts_task_owner")]
