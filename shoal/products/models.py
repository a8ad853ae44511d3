"""SAL-3 products: the catalogue quotes and orders take their lines from (price and cost → profit)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from shoal.core.models import TimeStampedModel, VersionedModel


class ProductCategory(TimeStampedModel):
    """A node of the product category tree (产品类别); a product sits in any node."""

    name = models.CharField(max_length=50)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.IntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], condition=Q(parent__isnull=False), name="products_category_unique_name"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="products_category_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Product(VersionedModel):
    code = models.CharField(max_length=50, unique=True)  # 产品编号, unique across active and inactive
    name = models.CharField(max_length=100)
    spec = models.CharField(max_length=100, blank=True, default="")  # 型号/规格
    unit = models.CharField(max_length=20, blank=True, default="")  # 台, 套, 个 …
    list_price = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    category = models.ForeignKey(
        ProductCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    is_active = models.BooleanField(default=True)  # inactive: kept on old documents, not offered for new lines
    remarks = models.TextField(blank=True, default="")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(list_price__gte=0), name="products_product_price_not_negative"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="products_product_cost_not_negative"),
        ]
        indexes = [models.Index(fields=["name"], name="products_name")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
