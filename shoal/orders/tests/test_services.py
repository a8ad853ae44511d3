from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound, StaleVersion
from shoal.customers.models import Share
from shoal.orders import services
from shoal.orders.models import Order, OrderStatus, PaymentStatus, Quote, QuoteStatus, ShippingStatus
from shoal.orders.tests.factories import customer_of, order_for, quote_for
from shoal.products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal


# ---------------------------------------------------------------- numbers


def test_numbers_run_per_day_and_prefix(cast):
    day = date(2026, 11, 25)
    assert services.next_number("Q", day) == "Q20261125-0001"
    assert services.next_number("Q", day) == "Q20261125-0002"
    assert services.next_number("SO", day) == "SO20261125-0001"
    assert services.next_number("Q", day + timedelta(days=1)) == "Q20261126-0001"


# ---------------------------------------------------------------- quotes


def test_quote_lines_default_to_the_list_price_and_totals_are_computed(cast):
    projector = ProductFactory(list_price=D("5000.00"), cost=D("3500.00"), spec="X1")
    screen = ProductFactory(list_price=D("800.00"), cost=D("500.00"))
    customer = customer_of(cast["owner"])
    quote = services.quote_create(
        actor=cast["owner"],
        customer_id=customer.pk,
        data={"title": "会议室方案", "valid_until": timezone.localdate() + timedelta(days=30)},
        lines=[
            {"product": projector.pk, "quantity": D(2), "discount_rate": D(10)},
            {"product": screen.pk, "quantity": D(1), "unit_price": D("750.00"), "discount_amount": D("50")},
        ],
    )
    assert quote.number.startswith("Q") and quote.status == QuoteStatus.DRAFT and quote.owner == cast["owner"]
    first, second = quote.lines.all()
    assert (first.unit_price, first.amount, first.discount, first.total) == (D(5000), D(10000), D(1000), D(9000))
    assert first.spec == "X1" and first.profit == D(2000)
    assert (second.amount, second.discount, second.total) == (D(750), D(50), D(700))
    assert (quote.subtotal, quote.discount, quote.total) == (D(10750), D(1050), D(9700))
    assert quote.cost == D(7500) and quote.profit == D(2200)


def test_quote_on_an_invisible_customer_is_not_found(cast):
    east = customer_of(cast["outsider"])
    with pytest.raises(NotFound):
        quote_for(cast["owner"], customer=east)


def test_read_only_sharee_may_not_write_documents(cast):
    customer = customer_of(cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    with pytest.raises(Forbidden):
        quote_for(cast["sharee"], customer=customer)
    Share.objects.filter(customer=customer).update(access="write")
    assert quote_for(cast["sharee"], customer=customer).pk


def test_discount_above_the_line_amount_is_refused_and_nothing_is_written(cast):
    product = ProductFactory(list_price=D("100.00"))
    customer = customer_of(cast["owner"])
    with pytest.raises(InvalidInput) as error:
        services.quote_create(
            actor=cast["owner"],
            customer_id=customer.pk,
            data={},
            lines=[{"product": product.pk, "quantity": D(1), "discount_amount": D("100.01")}],
        )
    assert error.value.code == "discount_exceeds_amount"
    assert "lines[0].discount_amount" in error.value.fields
    assert not Quote.objects.exists()


def test_inactive_products_cannot_be_quoted_but_stay_on_documents_that_have_them(cast):
    product = ProductFactory()
    quote = quote_for(cast["owner"], products=[product])
    product.is_active = False
    product.save()
    with pytest.raises(InvalidInput) as error:
        quote_for(cast["owner"], products=[product])
    assert error.value.code == "product_inactive"
    services.quote_update(
        actor=cast["owner"], quote=quote, version=1, data={}, lines=[{"product": product.pk, "quantity": D(5)}]
    )
    assert Quote.objects.get(pk=quote.pk).total == D(500)


def test_quote_moves_through_its_statuses_and_locks_when_decided(cast):
    quote = quote_for(cast["owner"])
    assert services.quote_set_status(actor=cast["owner"], ids=[quote.pk], verb="send").succeeded == [quote.pk]
    again = services.quote_set_status(actor=cast["owner"], ids=[quote.pk], verb="send")
    assert again.failed[0]["code"] == "invalid_status"
    services.quote_set_status(actor=cast["owner"], ids=[quote.pk], verb="accept")
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED and quote.version == 3
    with pytest.raises(Conflict):
        services.quote_update(actor=cast["owner"], quote=quote, version=3, data={"title": "改"})
    reasons = list(quote.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["create", "send", "accept"]


def test_status_verbs_do_not_reach_invisible_quotes(cast):
    hidden = quote_for(cast["outsider"])
    result = services.quote_set_status(actor=cast["owner"], ids=[hidden.pk], verb="reject")
    assert result.failed[0]["code"] == "not_found"


def test_quote_edit_with_a_stale_version_is_refused(cast):
    quote = quote_for(cast["owner"])
    services.quote_update(actor=cast["owner"], quote=quote, version=1, data={"title": "A"})
    with pytest.raises(StaleVersion):
        services.quote_update(actor=cast["owner"], quote=Quote.objects.get(pk=quote.pk), version=1, data={})


def test_accepted_quote_becomes_one_order_with_the_same_lines(cast):
    quote = quote_for(cast["owner"], products=[ProductFactory(), ProductFactory()])
    with pytest.raises(Conflict):
        services.quote_convert(actor=cast["owner"], quote=quote)
    services.quote_set_status(actor=cast["owner"], ids=[quote.pk], verb="accept")
    order = services.quote_convert(actor=cast["owner"], quote=quote)
    assert order.number.startswith("SO") and order.quote == quote and order.customer == quote.customer
    assert order.total == quote.total and order.lines.count() == 2
    with pytest.raises(Conflict) as error:
        services.quote_convert(actor=cast["owner"], quote=quote)
    assert error.value.code == "already_converted"


# ---------------------------------------------------------------- orders


def test_order_with_a_discounted_line_and_a_gift_line(cast):
    machine = ProductFactory(list_price=D("2000.00"), cost=D("1200.00"))
    toner = ProductFactory(list_price=D("300.00"), cost=D("80.00"))
    order = order_for(
        cast["owner"],
        lines=[
            {"product": machine.pk, "quantity": D(3), "discount_rate": D(5)},
            {"product": toner.pk, "quantity": D(2), "is_gift": True},
        ],
    )
    gift = order.lines.get(is_gift=True)
    assert gift.unit_price == 0 and gift.total == 0 and gift.cost == D(160)
    assert (order.subtotal, order.discount, order.total) == (D(6000), D(300), D(5700))
    assert order.cost == D(3760) and order.profit == D(1940)
    assert order.status == OrderStatus.OPEN and order.shipping_status == ShippingStatus.UNSHIPPED


def test_shipments_track_status_and_cannot_ship_more_than_ordered(cast):
    order = order_for(cast["owner"])
    line = order.lines.get()
    services.shipment_record(
        actor=cast["owner"],
        order=order,
        shipped_on=timezone.localdate(),
        lines=[{"order_line": line.pk, "quantity": 4}],
    )
    order.refresh_from_db()
    assert order.shipping_status == ShippingStatus.PARTIAL
    with pytest.raises(Conflict) as error:
        services.shipment_record(
            actor=cast["owner"],
            order=order,
            shipped_on=timezone.localdate(),
            lines=[{"order_line": line.pk, "quantity": 7}],
        )
    assert error.value.code == "over_shipment" and "6" in str(error.value.message)
    assert order.shipments.count() == 1  # the refused one left nothing behind
    services.shipment_record(
        actor=cast["owner"],
        order=order,
        shipped_on=timezone.localdate(),
        lines=[{"order_line": line.pk, "quantity": 6}],
    )
    order.refresh_from_db()
    assert order.shipping_status == ShippingStatus.SHIPPED and order.status == OrderStatus.OPEN


def test_lines_of_another_order_cannot_be_shipped(cast):
    order, other = order_for(cast["owner"]), order_for(cast["owner"])
    with pytest.raises(InvalidInput):
        services.shipment_record(
            actor=cast["owner"],
            order=order,
            shipped_on=timezone.localdate(),
            lines=[{"order_line": other.lines.get().pk, "quantity": 1}],
        )


def test_receipts_track_payment_status_and_refuse_over_payment(cast):
    order = order_for(cast["owner"])  # 10 × 100 = 1000
    services.receipt_record(actor=cast["owner"], order=order, amount=D(400), received_on=timezone.localdate())
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PARTIAL and order.received == D(400)
    with pytest.raises(Conflict) as error:
        services.receipt_record(actor=cast["owner"], order=order, amount=D("600.01"), received_on=timezone.localdate())
    assert error.value.code == "overpayment"
    services.receipt_record(actor=cast["owner"], order=order, amount=D(600), received_on=timezone.localdate())
    services.shipment_record(
        actor=cast["owner"],
        order=order,
        shipped_on=timezone.localdate(),
        lines=[{"order_line": order.lines.get().pk, "quantity": 10}],
    )
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID and order.status == OrderStatus.COMPLETED


def test_order_lines_change_only_before_shipping(cast):
    order = order_for(cast["owner"])
    product = ProductFactory(list_price=D("50.00"))
    services.order_update(
        actor=cast["owner"],
        order=order,
        version=1,
        data={"remarks": "加一台"},
        lines=[{"product": product.pk, "quantity": D(4), "discount_amount": D(20)}],
    )
    order.refresh_from_db()
    assert order.total == D(180) and order.version == 2
    services.shipment_record(
        actor=cast["owner"],
        order=order,
        shipped_on=timezone.localdate(),
        lines=[{"order_line": order.lines.get().pk, "quantity": 1}],
    )
    with pytest.raises(Conflict) as error:
        services.order_update(
            actor=cast["owner"], order=order, version=2, data={}, lines=[{"product": product.pk, "quantity": D(1)}]
        )
    assert error.value.code == "order_shipped"
    services.order_update(actor=cast["owner"], order=order, version=2, data={"remarks": "只改备注"})


def test_cancelling_keeps_the_order_with_its_reason_and_history(cast):
    order = order_for(cast["owner"])
    assert services.order_cancel(actor=cast["owner"], ids=[order.pk], reason="客户取消采购").succeeded == [order.pk]
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancel_reason == "客户取消采购" and order.cancelled_at
    assert [h.status for h in order.history.order_by("history_id")] == ["open", "cancelled"]
    with pytest.raises(Conflict):
        services.shipment_record(
            actor=cast["owner"],
            order=order,
            shipped_on=timezone.localdate(),
            lines=[{"order_line": order.lines.get().pk, "quantity": 1}],
        )
    with pytest.raises(InvalidInput):
        services.order_cancel(actor=cast["owner"], ids=[order.pk], reason=" ")


def test_orders_in_progress_cannot_be_cancelled(cast):
    order = order_for(cast["owner"])
    services.receipt_record(actor=cast["owner"], order=order, amount=D(1), received_on=timezone.localdate())
    result = services.order_cancel(actor=cast["owner"], ids=[order.pk], reason="x")
    assert result.failed[0]["code"] == "order_in_progress"


# ---------------------------------------------------------------- money is exact, through the services

line_input = st.fixed_dictionaries(
    {
        "price": st.decimals(min_value=D("0.01"), max_value=D("99999"), places=2),
        "quantity": st.decimals(min_value=D("0.01"), max_value=D("500"), places=2),
        "discount": st.one_of(
            st.none(),
            st.tuples(st.just("rate"), st.decimals(min_value=D(0), max_value=D(100), places=2)),
            st.tuples(st.just("amount"), st.decimals(min_value=D(0), max_value=D("1e7"), places=2)),
        ),
        "gift": st.booleans(),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(line_input, min_size=1, max_size=6))
def test_stored_order_totals_always_agree_with_stored_lines(cast, drawn):
    product = ProductFactory(list_price=D("10.00"), cost=D("7.00"))
    lines = []
    for line in drawn:
        entry = {"product": product.pk, "quantity": line["quantity"], "is_gift": line["gift"]}
        if not line["gift"]:
            entry["unit_price"] = line["price"]
            if line["discount"]:
                entry[f"discount_{line['discount'][0]}"] = line["discount"][1]
        lines.append(entry)
    try:
        order = order_for(cast["owner"], lines=lines)
    except InvalidInput as error:
        # the only refusal possible here: a discount larger than its line, said clearly
        assert error.code == "discount_exceeds_amount"
        return
    stored = Order.objects.get(pk=order.pk)
    sums = stored.lines.aggregate(
        amount=Sum("amount"), discount=Sum("discount"), total=Sum("total"), cost=Sum("cost"), profit=Sum("profit")
    )
    assert (stored.subtotal, stored.discount, stored.total) == (sums["amount"], sums["discount"], sums["total"])
    assert (stored.cost, stored.profit) == (sums["cost"], sums["profit"])
    assert stored.total == stored.subtotal - stored.discount >= 0
    assert stored.lines.filter(total__lt=0).count() == 0


def test_the_database_itself_refuses_over_shipment_and_over_payment(cast):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    order = order_for(cast["owner"])
    with pytest.raises(IntegrityError), transaction.atomic():
        order.lines.update(shipped_quantity=F("quantity") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(received=F("total") + 1)


def test_drafts_and_rejected_quotes_are_deleted_softly_but_not_accepted_ones(cast):
    from shoal.orders.selectors import quote_list

    draft, accepted = quote_for(cast["owner"]), quote_for(cast["owner"])
    services.quote_set_status(actor=cast["owner"], ids=[accepted.pk], verb="accept")
    result = services.quote_delete(actor=cast["owner"], ids=[draft.pk, accepted.pk], reason="重复报价")
    assert result.succeeded == [draft.pk]
    assert [f["code"] for f in result.failed] == ["invalid_status"]
    assert Quote.objects.get(pk=draft.pk).deleted_at is not None
    assert list(quote_list(user=cast["owner"])) == [accepted]
    assert Quote.objects.get(pk=draft.pk).history.first().history_change_reason == "delete"
    again = services.quote_delete(actor=cast["owner"], ids=[draft.pk])
    assert [f["code"] for f in again.failed] == ["not_found"]
