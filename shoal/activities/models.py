"""Sales activities: interactions (ACT-1), contact plans (ACT-2), the schedule (ACT-3, ORG-7) and
visit records (ACT-5). Records that hang off a customer are visible exactly when the customer is
(selectors); schedule items belong to a person and are seen by them and their superiors."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shoal.core.models import TimeStampedModel, VersionedModel


class Channel(models.TextChoices):
    # ACT-1: how the rep reached the customer.
    PHONE = "phone", "电话"
    VISIT = "visit", "拜访"
    WECHAT = "wechat", "微信"
    EMAIL = "email", "邮件"
    OTHER = "other", "其他"


class Interaction(VersionedModel):
    """ACT-1 交往记录: what was discussed with a customer, their needs, the price quoted, their
    concerns and the next step. A visit record (ACT-5) and a done contact plan (ACT-2) each leave one."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="interactions")
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    contact_name = models.CharField(max_length=50, blank=True, default="")  # kept if the contact is removed
    channel = models.CharField(max_length=10, choices=Channel.choices)
    occurred_at = models.DateTimeField()
    # Who followed up, and their department then: lists filter by both without joining users.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interactions")
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    content = models.TextField()  # 沟通内容
    needs = models.TextField(blank=True, default="")  # 客户需求
    quoted_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)  # 报价
    concerns = models.TextField(blank=True, default="")  # 客户顾虑
    next_step = models.TextField(blank=True, default="")  # 下一步

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-occurred_at", "-id"], name="activities_inter_customer"),
            models.Index(fields=["user", "-occurred_at", "-id"], name="activities_inter_user"),
            # Newest first, carrying what lists filter on most, so a rep's page is found in the index
            # alone (the rows themselves are then loaded for that page only).
            models.Index(fields=["-occurred_at", "-id"], include=["customer", "channel"], name="activities_inter_time"),
            models.Index(fields=["department", "-occurred_at"], name="activities_inter_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.customer_id}"


class PlanStatus(models.TextChoices):
    OPEN = "open", "待联系"  # planned, not done yet
    DONE = "done", "已完成"  # done: it left an interaction
    CANCELLED = "cancelled", "已取消"  # dropped without contact


class ContactPlan(VersionedModel):
    """ACT-2 联系计划: a planned follow-up of a customer with a reminder some minutes before."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_plans")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="contact_plans")
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_plans"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PHONE)
    planned_at = models.DateTimeField()
    purpose = models.CharField(max_length=500)
    remind_minutes = models.PositiveIntegerField(null=True, blank=True)  # None: no reminder
    remind_at = models.DateTimeField(null=True, blank=True)  # planned_at - remind_minutes, kept by services
    reminded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    interaction = models.OneToOneField(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan"
    )

    class Meta:
        ordering = ["planned_at", "id"]
        indexes = [
            models.Index(fields=["user", "status", "planned_at"], name="activities_plan_user"),
            models.Index(fields=["customer", "planned_at"], name="activities_plan_customer"),
            # The reminder job reads only the reminders still due: a small partial index.
            models.Index(
                fields=["remind_at"],
                condition=Q(status="open", reminded_at__isnull=True, remind_at__isnull=False),
                name="activities_plan_remind_due",
            ),
        ]

    def __str__(self) -> str:
        return self.purpose


class Weight(models.IntegerChoices):
    # ACT-3 事件权重 (重要程度).
    LOW = 1, "一般"
    MEDIUM = 2, "重要"
    HIGH = 3, "紧急"


class ScheduleItem(VersionedModel):
    """ACT-3 日程安排: a personal calendar item; superiors see it, comment, approve and remind (ORG-7)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="schedule_items")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    weight = models.PositiveSmallIntegerField(choices=Weight.choices, default=Weight.LOW)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="schedule_items"
    )
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)  # ORG-7 批复
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["start_at", "id"]
        indexes = [models.Index(fields=["user", "start_at"], name="activities_schedule_user")]
        constraints = [
            models.CheckConstraint(condition=Q(end_at__gte=models.F("start_at")), name="activities_schedule_end"),
        ]

    def __str__(self) -> str:
        return self.title


class CommentKind(models.TextChoices):
    COMMENT = "comment", "评论"  # a remark by the owner or a superior
    APPROVAL = "approval", "批复"  # ORG-7: a superior approves the item
    REMINDER = "reminder", "提醒"  # ORG-7: a superior reminds the owner (also sent as a notification)


class ScheduleComment(TimeStampedModel):
    """The timeline of a schedule item: comments, approvals and reminders (who, when, what)."""

    item = models.ForeignKey(ScheduleItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=CommentKind.choices)
    body = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.item_id}"


class Visit(VersionedModel):
    """ACT-5 出访记录 (seed 003 §2): basic info and result of an on-site visit; it also counts as an
    interaction (channel visit) and may set the customer's intent level."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="visits")
    contacts = models.ManyToManyField("customers.Contact", blank=True, related_name="visits")  # 会见联系人
    companions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")  # 陪同人员
    visited_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True, default="")
    purpose = models.CharField(max_length=500, blank=True, default="")
    outcome = models.TextField()  # 出访结果
    intent_level_after = models.SmallIntegerField(null=True, blank=True)  # CUS-8 -1…4
    next_step = models.TextField(blank=True, default="")
    plan = models.ForeignKey(ContactPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    interaction = models.OneToOneField(Interaction, null=True, on_delete=models.SET_NULL, related_name="visit")

    class Meta:
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-visited_at"], name="activities_visit_customer"),
            models.Index(fields=["user", "-visited_at"], name="activities_visit_user"),
        ]

    def __str__(self) -> str:
        return f"visit #{self.customer_id}"
