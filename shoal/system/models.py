from django.db import models
from simple_history.models import HistoricalRecords

from shoal.core.models import VersionedModel


class DictionaryKind(models.TextChoices):
    # SYS-1: every pick list an administrator may edit.
    EMPLOYEE_STATUS = "employee_status"
    CUSTOMER_CATEGORY = "customer_category"
    INDUSTRY = "industry"
    CUSTOMER_LEVEL = "customer_level"
    CUSTOMER_SOURCE = "customer_source"
    RELATION_TYPE = "relation_type"
    SOCIAL_RELATION_TYPE = "social_relation_type"
    PROMOTION_NEED = "promotion_need"  # ACT-4 客户推广需求分类 (seeded by shoal.calls)
    NETWORK_AWARENESS = "network_awareness"  # ACT-4 网络意识分类 (seeded by shoal.calls)


class DictionaryItem(VersionedModel):
    kind = models.CharField(max_length=50, choices=DictionaryKind.choices, db_index=True)
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    position = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)
    color = models.CharField(max_length=20, blank=True, default="")
    # Seeded items other data relies on by code; they can be renamed and hidden but not deleted.
    is_system = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="system_dictionaryitem_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Parameter(models.Model):
    """SYS-2: one system parameter as a JSON value, read through system.selectors."""

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.key
