"""Opportunities, their pipeline, competitors, history, and conflicts between reps (SAL-1, SAL-2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shoal.core.models import TimeStampedModel, VersionedModel


class StageKind(models.TextChoices):
    OPEN = "open", "进行中"  # a step of the pipeline
    WON = "won", "赢单"  # closing the opportunity as won
    LOST = "lost", "输单"  # closing the opportunity as lost


class PipelineStage(VersionedModel):
    """SAL-1: the configurable pipeline, ordered by position, each stage with its win probability."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=50)
    probability = models.PositiveSmallIntegerField(default=0)  # percent, 0…100
    kind = models.CharField(max_length=10, choices=StageKind.choices, default=StageKind.OPEN)
    color = models.CharField(max_length=20, blank=True, default="")
    position = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(probability__lte=100), name="opportunities_stage_probability"),
        ]

    def __str__(self) -> str:
        return self.name


class Opportunity(VersionedModel):
    """SAL-1 销售机会 of a customer, worked by its owner."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="opportunities")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities")
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=50, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    expected_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    expected_close_date = models.DateField(null=True, blank=True)
    stage = models.ForeignKey(PipelineStage, on_delete=models.PROTECT, related_name="opportunities")
    # Denormalised from the stage kind, so lists filter open/won/lost without a join.
    status = models.CharField(max_length=10, choices=StageKind.choices, default=StageKind.OPEN, db_index=True)
    next_step = models.CharField(max_length=300, blank=True, default="")
    feedback = models.TextField(blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expected_amount__gte=0), name="opportunities_opportunity_amount"),
        ]
        indexes = [
            models.Index(fields=["customer", "status"], name="opportunities_customer"),
            models.Index(fields=["owner", "status"], name="opportunities_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class Competitor(TimeStampedModel):
    """SAL-1 competitive analysis: who else bids, and how they compare."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(max_length=100)
    strengths = models.CharField(max_length=500, blank=True, default="")
    weaknesses = models.CharField(max_length=500, blank=True, default="")
    remarks = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class OpportunityAction(models.TextChoices):
    CREATE = "create", "新建"
    EDIT = "edit", "编辑"
    STAGE = "stage", "阶段变更"
    WON = "won", "赢单"
    LOST = "lost", "输单"
    REOPEN = "reopen", "重新打开"
    TRANSFER = "transfer", "转交"  # SAL-2 a conflict decision moved it to the winner


class OpportunityEvent(models.Model):
    """SAL-1 full history: who changed what, when and why."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=OpportunityAction.choices)
    reason = models.CharField(max_length=500, blank=True, default="")
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["opportunity", "-id"], name="opportunities_event")]

    def __str__(self) -> str:
        return f"{self.action} #{self.opportunity_id}"


class ConflictStatus(models.TextChoices):
    OPEN = "open", "待裁决"
    RESOLVED = "resolved", "已裁决"


class Conflict(TimeStampedModel):
    """SAL-2 撞单: two reps working one customer; their nearest common superior decides who keeps it.

    One open conflict per customer and pair of reps, settled by a unique constraint (not by a read)."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="conflicts")
    incumbent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    challenger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pair_key = models.CharField(max_length=50)  # "<smaller user id>-<larger user id>"
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="conflicts"
    )
    trigger = models.CharField(max_length=20, default="opportunity")  # opportunity | claim | activity
    status = models.CharField(max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    winner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=500, blank=True, default="")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "pair_key"],
                condition=Q(status="open"),
                name="opportunities_conflict_one_open",
            ),
        ]
        indexes = [models.Index(fields=["manager", "status"], name="opportunities_conflict_manager")]
