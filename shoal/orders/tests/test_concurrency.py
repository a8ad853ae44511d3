"""Races settled by the database (ARCHITECTURE.md): real threads, each with its own connection.
Run on PostgreSQL (DATABASE_URL) as well as SQLite."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from shoal.core.errors import Conflict
from shoal.customers.tests.test_concurrency import run_together
from shoal.orders import services
from shoal.orders.models import Order, OrderLine, Quote, ShipmentLine, ShippingStatus
from shoal.orders.tests.factories import order_for, quote_for

pytestmark = pytest.mark.django_db(transaction=True)


def _attempt(function):
    try:
        return function()
    except Conflict as conflict:
        return conflict.code


def test_people_shipping_the_same_line_at_once_never_ship_more_than_ordered(cast):
    order = order_for(cast["owner"])  # one line of 10
    line = order.lines.get()

    def ship(quantity):
        return lambda: _attempt(
            lambda: services.shipment_record(
                actor=cast["owner"],
                order=Order.objects.get(pk=order.pk),
                shipped_on=timezone.localdate(),
                lines=[{"order_line": line.pk, "quantity": Decimal(quantity)}],
            )
        )

    results = run_together([ship(3) for _ in range(8)])

    assert sorted(r for r in results if isinstance(r, str)) == ["over_shipment"] * 5
    line = OrderLine.objects.get(pk=line.pk)
    assert line.shipped_quantity == Decimal(9)
    assert ShipmentLine.objects.filter(order_line=line).aggregate(s=Sum("quantity"))["s"] == Decimal(9)
    assert Order.objects.get(pk=order.pk).shipping_status == ShippingStatus.PARTIAL


def test_people_recording_receipts_at_once_never_over_receive(cast):
    order = order_for(cast["owner"])  # 1000.00

    def receive():
        return _attempt(
            lambda: services.receipt_record(
                actor=cast["owner"],
                order=Order.objects.get(pk=order.pk),
                amount=Decimal("300.00"),
                received_on=timezone.localdate(),
            )
        )

    results = run_together([receive for _ in range(6)])

    assert sorted(r for r in results if isinstance(r, str)) == ["overpayment"] * 3
    order.refresh_from_db()
    assert order.received == Decimal("900.00") and order.receipts.count() == 3


def test_numbers_given_at_once_are_all_different(cast):
    results = run_together([lambda: quote_for(cast["owner"]).number for _ in range(8)])
    assert len(set(results)) == 8 and Quote.objects.count() == 8


def test_one_quote_converted_twice_at_once_makes_one_order(cast):
    quote = quote_for(cast["owner"])
    services.quote_set_status(actor=cast["owner"], ids=[quote.pk], verb="accept")

    def convert():
        return _attempt(lambda: services.quote_convert(actor=cast["owner"], quote=Quote.objects.get(pk=quote.pk)))

    results = run_together([convert for _ in range(4)])

    assert sorted(r for r in results if isinstance(r, str)) == ["already_converted"] * 3
    assert Order.objects.filter(quote=quote).count() == 1
