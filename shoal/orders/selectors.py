"""SAL-4/5 reads. A quote or order is visible exactly when its customer is (customers.selectors)."""

from django.db.models import Prefetch, QuerySet

from shoal.core.errors import NotFound
from shoal.customers.selectors import customer_visible
from shoal.orders.models import Order, OrderLine, Quote, Receipt, Shipment, ShipmentLine
from shoal.org.models import Department, User


def quote_visible(*, user: User) -> QuerySet[Quote]:
    return Quote.objects.filter(customer__in=customer_visible(user=user), deleted_at__isnull=True)


def quote_list(*, user: User) -> QuerySet[Quote]:
    return quote_visible(user=user).select_related("customer", "owner")


def quote_get(*, user: User, pk: int) -> Quote:
    quote = (
        quote_visible(user=user)
        .select_related("customer", "owner", "order")
        .prefetch_related("lines")
        .filter(pk=pk)
        .first()
    )
    if quote is None:
        raise NotFound()
    return quote


def order_visible(*, user: User) -> QuerySet[Order]:
    return Order.objects.filter(customer__in=customer_visible(user=user))


def order_list(*, user: User) -> QuerySet[Order]:
    return order_visible(user=user).select_related("customer", "owner", "quote")


def order_get(*, user: User, pk: int) -> Order:
    order = (
        order_visible(user=user)
        .select_related("customer", "owner", "quote")
        .prefetch_related(
            "lines",
            Prefetch(
                "shipments",
                queryset=Shipment.objects.select_related("created_by").prefetch_related(
                    Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line"))
                ),
            ),
            Prefetch("receipts", queryset=Receipt.objects.select_related("created_by")),
        )
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise NotFound()
    return order


def order_lines(*, user: User, order: Order) -> QuerySet[OrderLine]:
    return order.lines.all()


def document_history(*, user: User, document: Quote | Order):
    """The change history (who, when, what) of a visible quote or order, newest first."""
    return document.history.select_related("history_user").order_by("-history_date", "-history_id")[:200]


def company_name() -> str:
    """The seller printed on quotes: the name of the top department (the company)."""
    root = Department.objects.filter(parent__isnull=True).order_by("id").values_list("name", flat=True).first()
    return root or ""
