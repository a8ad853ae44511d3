"""SAL-4 quotes and SAL-5 sales orders of a customer, their lines, shipments and receipts.

Money is computed by ``pricing`` in the services and stored (lists and reports sort and sum it
without recomputing); history of every change is kept by django-simple-history.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from shoal.core.models import TimeStampedModel, VersionedModel


def _money(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, default=0, **kwargs)


class DocumentCounter(models.Model):
    """The last sequence number given per prefix and day (Q20261125 → 3): numbers without races."""

    key = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class DocumentTotals(models.Model):
    """Totals of a quote or order: always the sums of its lines (services.pricing)."""

    subtotal = _money()  # Σ quantity × unit price
    discount = _money()  # Σ line discounts
    total = _money()  # subtotal − discount: what the customer pays
    cost = _money()  # Σ quantity × unit cost
    profit = _money()  # total − cost

    class Meta:
        abstract = True


class DocumentLine(models.Model):
    """One line of a quote or order: a product (or a free-text item), priced by pricing.line_money."""

    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="+")
    # Snapshots of the product at the time, so later catalogue edits do not rewrite old documents.
    product_code = models.CharField(max_length=50)
    product_name = models.CharField(max_length=100)
    spec = models.CharField(max_length=100, blank=True, default="")  # 型号/规格
    unit = models.CharField(max_length=20, blank=True, default="")
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit_price = _money()
    unit_cost = _money()
    discount_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)  # percent
    discount_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    is_gift = models.BooleanField(default=False)  # 赠品: bundled at price 0
    remarks = models.CharField(max_length=200, blank=True, default="")
    amount = _money()
    discount = _money()
    total = _money()
    cost = _money()
    profit = _money()

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.product_code} × {self.quantity}"


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", "草稿"  # being prepared; editable
    SENT = "sent", "已发送"  # given to the customer; still editable (a revised quote)
    ACCEPTED = "accepted", "已接受"  # the customer agreed; may become an order
    REJECTED = "rejected", "已拒绝"  # the customer declined


class Quote(VersionedModel, DocumentTotals):
    number = models.CharField(max_length=20, unique=True)  # Q20261125-0001
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="quotes")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quotes")
    title = models.CharField(max_length=200, blank=True, default="")
    contact_name = models.CharField(max_length=50, blank=True, default="")
    quote_date = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT)
    terms = models.TextField(blank=True, default="")  # delivery, payment terms printed on the quote
    remarks = models.TextField(blank=True, default="")
    status_reason = models.CharField(max_length=500, blank=True, default="")
    # 删除 (seed 001 §2.2.14): soft, for drafts and rejected quotes that never became an order.
    deleted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["customer", "-id"], name="orders_quote_customer"),
            models.Index(fields=["status"], name="orders_quote_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="orders_quote_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number


class QuoteLine(DocumentLine):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    history = HistoricalRecords()

    class Meta(DocumentLine.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="orders_quoteline_total_not_negative"),
        ]


class OrderStatus(models.TextChoices):
    OPEN = "open", "执行中"  # confirmed; being shipped and paid
    COMPLETED = "completed", "已完成"  # fully shipped and fully paid
    CANCELLED = "cancelled", "已取消"  # kept with its reason and history


class ShippingStatus(models.TextChoices):
    UNSHIPPED = "unshipped", "未发货"
    PARTIAL = "partial", "部分发货"
    SHIPPED = "shipped", "已发货"


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "未收款"
    PARTIAL = "partial", "部分收款"
    PAID = "paid", "已收款"


class Order(VersionedModel, DocumentTotals):
    number = models.CharField(max_length=20, unique=True)  # SO20261125-0001
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="orders")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    # "转为订单": the accepted quote it came from; one order per quote (the constraint settles races).
    quote = models.OneToOneField(Quote, null=True, blank=True, on_delete=models.PROTECT, related_name="order")
    contact_name = models.CharField(max_length=50, blank=True, default="")
    order_date = models.DateField()
    delivery_date = models.DateField(null=True, blank=True)
    delivery_address = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    shipping_status = models.CharField(max_length=10, choices=ShippingStatus.choices, default=ShippingStatus.UNSHIPPED)
    payment_status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID)
    received = _money()  # Σ receipts
    remarks = models.TextField(blank=True, default="")
    cancel_reason = models.CharField(max_length=500, blank=True, default="")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["customer", "-id"], name="orders_order_customer"),
            models.Index(fields=["status"], name="orders_order_status"),
            models.Index(fields=["order_date"], name="orders_order_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="orders_order_total_not_negative"),
            # SAL-5: never more received than the order is worth
            models.CheckConstraint(condition=Q(received__lte=F("total")), name="orders_order_not_overpaid"),
            models.CheckConstraint(condition=Q(received__gte=0), name="orders_order_received_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(DocumentLine):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    shipped_quantity = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    history = HistoricalRecords()

    class Meta(DocumentLine.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="orders_orderline_total_not_negative"),
            # SAL-5: cannot ship more than ordered — settled by the database whatever the race
            models.CheckConstraint(
                condition=Q(shipped_quantity__lte=F("quantity")), name="orders_orderline_not_overshipped"
            ),
            models.CheckConstraint(condition=Q(shipped_quantity__gte=0), name="orders_orderline_shipped_not_negative"),
        ]


class Shipment(TimeStampedModel):
    """One delivery (发货) of some quantities of an order's lines."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    shipped_on = models.DateField()
    tracking_number = models.CharField(max_length=50, blank=True, default="")  # 运单号
    remarks = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-shipped_on", "-id"]

    def __str__(self) -> str:
        return f"shipment #{self.pk} of {self.order_id}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="shipment_lines")
    quantity = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_shipmentline_positive")]

    def __str__(self) -> str:
        return f"{self.order_line_id} × {self.quantity}"


class Receipt(TimeStampedModel):
    """Money received against an order (收款), which sets its payment status."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="receipts")
    amount = _money()
    received_on = models.DateField()
    method = models.CharField(max_length=30, blank=True, default="")  # 转账, 现金 …
    remarks = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="orders_receipt_positive")]

    def __str__(self) -> str:
        return f"receipt #{self.pk} of {self.order_id}"
