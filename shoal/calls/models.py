"""Call annotations, talk scripts, phone leases and invalid numbers (ACT-4, ACT-6; seed 003 §1, §4.3, §6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shoal.core.models import TimeStampedModel, VersionedModel
from shoal.customers.models import Classification, Customer, IntentLevel


class NextStep(models.TextChoices):
    # ACT-4 后续跟进选择: what the rep will do next with this customer.
    NONE = "none", "暂不跟进"
    CALL = "call", "再次电话"
    VISIT = "visit", "上门拜访"
    SEND_INFO = "send_info", "发送资料"
    SIGN = "sign", "签约"


class CallAnnotation(TimeStampedModel):
    """ACT-4 one phone follow-up of a customer with the four annotations of seed 003 §1.1.1."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="call_annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_annotations")
    development_outlook = models.TextField(blank=True, default="")  # 企业发展预期
    target_customers = models.TextField(blank=True, default="")  # 企业目标客户群状况
    competition = models.TextField(blank=True, default="")  # 行业竞争状况及企业自身竞争力
    network_awareness = models.TextField(blank=True, default="")  # 客户网络意识
    needs_category = models.CharField(max_length=50, blank=True, default="")  # dictionary promotion_need
    awareness_category = models.CharField(max_length=50, blank=True, default="")  # dictionary network_awareness
    intent_level = models.SmallIntegerField(choices=IntentLevel.choices, null=True, blank=True)
    source = models.CharField(max_length=50, blank=True, default="")  # dictionary customer_source
    # Seed 003 §1.1.4 new/old as it stood after this follow-up (the customer's own value moves on).
    classification = models.CharField(max_length=10, choices=Classification.choices, blank=True, default="")
    next_step = models.CharField(max_length=20, choices=NextStep.choices, default=NextStep.NONE)
    next_follow_up_at = models.DateTimeField(null=True, blank=True)
    remind = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Whether the customer's intent level was changed by this annotation (only those who may edit do).
    intent_level_applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["customer", "-id"], name="calls_annotation_customer"),
            models.Index(fields=["author", "-id"], name="calls_annotation_author"),
            models.Index(
                fields=["next_follow_up_at"],
                condition=Q(remind=True, reminded_at__isnull=True),
                name="calls_annotation_due",
            ),
        ]

    def __str__(self) -> str:
        return f"call #{self.pk} on {self.customer_id}"


class ScriptKind(models.TextChoices):
    NEEDS = "needs", "推广需求话术"  # by promotion-needs category
    AWARENESS = "awareness", "网络意识话术"  # by network-awareness category
    OBJECTION = "objection", "常见问题应对"  # a common objection (title) and its answer


class TalkScript(VersionedModel):
    """ACT-4 right side of the call page: guidance the managers write for the reps."""

    kind = models.CharField(max_length=20, choices=ScriptKind.choices)
    category = models.CharField(max_length=50, blank=True, default="")  # dictionary code; empty for objections
    title = models.CharField(max_length=100)
    content = models.TextField()
    position = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "category", "position", "id"]
        indexes = [models.Index(fields=["kind", "category"], name="calls_script_kind")]

    def __str__(self) -> str:
        return self.title


class LeaseStatus(models.TextChoices):
    ACTIVE = "active", "待拨打"  # leased today, not yet annotated
    CALLED = "called", "已拨打"  # an annotation was saved while leased: still the rep's for the day
    RELEASED = "released", "已退回"  # given back before the end of the day
    EXPIRED = "expired", "已过期"  # the day ended with it unused


class PhoneLease(models.Model):
    """电话申领 (seed 003 §6): a pool customer's number lent to one rep for one day, not owned.
    The partial unique constraint settles two simultaneous requests: one number, one rep, one day."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phone_leases")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_leases")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=LeaseStatus.choices, default=LeaseStatus.ACTIVE)
    leased_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "day"],
                condition=Q(status__in=["active", "called"]),
                name="calls_phonelease_one_per_day",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "day"], name="calls_lease_user_day"),
            models.Index(fields=["day"], condition=Q(status="active"), name="calls_lease_active"),
        ]

    def __str__(self) -> str:
        return f"lease {self.customer_id} → {self.user_id} on {self.day}"


class InvalidReason(models.TextChoices):
    # ACT-6, seed 003 §4.3 无效电话.
    EMPTY = "empty", "空号"
    WRONG_PERSON = "wrong_person", "错号/非本人"
    STOPPED = "stopped", "停机"
    OTHER = "other", "其他"


class InvalidStatus(models.TextChoices):
    OPEN = "open", "待清理"  # the number is kept out of call lists until someone cleans it up
    RESOLVED = "resolved", "已处理"


class InvalidPhone(TimeStampedModel):
    """ACT-6 a customer's number reported invalid; open ones keep the customer out of call lists."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="invalid_phones")
    phone = models.CharField(max_length=30)
    reason = models.CharField(max_length=20, choices=InvalidReason.choices)
    note = models.CharField(max_length=200, blank=True, default="")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=InvalidStatus.choices, default=InvalidStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "phone"], condition=Q(status="open"), name="calls_invalidphone_one_open"
            ),
        ]
        indexes = [
            models.Index(fields=["customer"], condition=Q(status="open"), name="calls_invalid_open"),
            models.Index(fields=["marked_by", "created_at"], name="calls_invalid_marker"),
        ]

    def __str__(self) -> str:
        return f"{self.phone} ({self.reason})"
