"""Help requests to a superior (ACT-7, seed 000 §2.6), work logs and sign-ins for attendance (ORG-6, seed 004)."""

from django.conf import settings
from django.db import models

from shoal.core.models import TimeStampedModel, VersionedModel


class HelpStatus(models.TextChoices):
    OPEN = "open", "待回复"  # waiting for the superior (again, after the rep followed up)
    ANSWERED = "answered", "已回复"  # the superior (or someone above) replied
    CLOSED = "closed", "已关闭"  # settled; no more messages


class HelpRequest(TimeStampedModel):
    """ACT-7 困难求助: a rep asks a superior for help on a difficult customer or deal."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_requests")
    superior = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_inbox")
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="help_requests"
    )
    deal = models.CharField(max_length=200, blank=True, default="")  # free text until deals exist
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=HelpStatus.choices, default=HelpStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["requester", "-id"], name="teamwork_help_requester"),
            models.Index(fields=["superior", "-id"], name="teamwork_help_superior"),
        ]

    def __str__(self) -> str:
        return self.subject


class HelpMessage(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"message #{self.pk} on {self.request_id}"


class DayType(models.TextChoices):
    # ORG-6, seed 004 §1.2.2 销售人员的状态 as far as attendance counts them.
    WORK = "work", "出勤"
    LEAVE = "leave", "请假"
    BUSINESS_TRIP = "business_trip", "出差"
    REST = "rest", "休息"


class WorkLog(VersionedModel):
    """ORG-6 员工日志: one per employee per day; superiors read and comment."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_logs")
    day = models.DateField()
    day_type = models.CharField(max_length=20, choices=DayType.choices, default=DayType.WORK)
    content = models.TextField(blank=True, default="")  # what was done today
    plan = models.TextField(blank=True, default="")  # what is planned next

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="teamwork_worklog_one_per_day")]
        indexes = [models.Index(fields=["day"], name="teamwork_worklog_day")]

    def __str__(self) -> str:
        return f"log {self.user_id} {self.day}"


class WorkLogComment(models.Model):
    log = models.ForeignKey(WorkLog, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"comment #{self.pk} on {self.log_id}"


class SignIn(models.Model):
    """ORG-6 考勤: one row per successful sign-in (from Django's user_logged_in signal)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField()
    day = models.DateField()
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "day"], name="teamwork_signin_user_day")]

    def __str__(self) -> str:
        return f"sign-in {self.user_id} {self.at}"
