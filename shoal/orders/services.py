"""SAL-4/5 writes: quotes, orders, shipments, receipts. One transaction each; money from ``pricing``;
races settled in the database (conditional UPDATEs, CHECK and UNIQUE constraints, row locks)."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ShoalError
from shoal.core.versioning import versioned_update
from shoal.customers.models import Customer
from shoal.customers.selectors import customer_access, customer_visible
from shoal.orders import pricing
from shoal.orders.models import (
    DocumentCounter,
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    Quote,
    QuoteLine,
    QuoteStatus,
    Receipt,
    Shipment,
    ShipmentLine,
    ShippingStatus,
)
from shoal.org.models import User
from shoal.products.models import Product

QUOTE_FIELDS = ("title", "contact_name", "quote_date", "valid_until", "terms", "remarks")
ORDER_FIELDS = ("contact_name", "order_date", "delivery_date", "delivery_address", "remarks")
LINE_FIELDS = ("product_code", "product_name", "spec", "unit", "quantity", "unit_price", "unit_cost")
LINE_FIELDS += ("discount_rate", "discount_amount", "is_gift", "remarks", "position")
LINE_FIELDS += ("amount", "discount", "total", "cost", "profit")


# ---------------------------------------------------------------- numbers


def next_number(prefix: str, day: date) -> str:
    """Q20261125-0001: per prefix and day, without races — the counter row's UPDATE holds its lock
    until the surrounding transaction commits, and the document's unique number is the backstop."""
    key = f"{prefix}{day:%Y%m%d}"
    for _attempt in range(3):
        if DocumentCounter.objects.filter(key=key).update(last=F("last") + 1):
            last = DocumentCounter.objects.filter(key=key).values_list("last", flat=True).get()
            return f"{key}-{last:04d}"
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(key=key, last=1)
            return f"{key}-0001"
        except IntegrityError:  # created by someone else a moment ago: take the next one
            continue
    raise Conflict()


# ---------------------------------------------------------------- shared checks


def _writable_customer(*, actor: User, customer_id: int) -> Customer:
    """The customer a document is written for: visible (else 404) and editable by the actor (else 403)."""
    customer = customer_visible(user=actor).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound()
    if customer_access(user=actor, customer=customer) == "read":
        raise Forbidden(_("This customer is shared with you read-only."), code="read_only")
    return customer


def _check_writable(actor: User, customer: Customer) -> None:
    if customer_access(user=actor, customer=customer) == "read":
        raise Forbidden(_("This customer is shared with you read-only."), code="read_only")


def _priced_lines(lines: list[dict], *, allowed_inactive: set[int] = frozenset()) -> list[dict]:
    """Line input → the values of line rows (product snapshots and money). Unit price defaults to
    the product's list price; gifts are 0. Inactive products only on documents that already had them."""
    if not lines:
        raise InvalidInput(fields={"lines": [_("Add at least one line.")]})
    if len(lines) > 200:
        raise InvalidInput(fields={"lines": [_("A document has at most 200 lines.")]})
    products = Product.objects.in_bulk({line["product"] for line in lines})
    rows = []
    for index, line in enumerate(lines):
        prefix = f"lines[{index}]."
        product = products.get(line["product"])
        if product is None:
            raise InvalidInput(fields={f"{prefix}product": [_("This product does not exist.")]})
        if not product.is_active and product.pk not in allowed_inactive:
            raise InvalidInput(
                _("Product %(code)s is no longer sold.") % {"code": product.code},
                code="product_inactive",
                fields={f"{prefix}product": [_("Product %(code)s is no longer sold.") % {"code": product.code}]},
            )
        is_gift = bool(line.get("is_gift"))
        unit_price = line.get("unit_price")
        if unit_price is None:
            unit_price = pricing.ZERO if is_gift else product.list_price
        rate, discount_amount = line.get("discount_rate"), line.get("discount_amount")
        figures = pricing.line_money(
            quantity=line["quantity"],
            unit_price=unit_price,
            unit_cost=product.cost,
            discount_rate=rate,
            discount_amount=discount_amount,
            is_gift=is_gift,
            field_prefix=prefix,
        )
        rows.append(
            {
                "product": product,
                "product_code": product.code,
                "product_name": product.name,
                "spec": line.get("spec") or product.spec,
                "unit": product.unit,
                "quantity": Decimal(line["quantity"]),
                "unit_price": pricing.money(unit_price),
                "unit_cost": product.cost,
                "discount_rate": rate if rate else None,
                "discount_amount": pricing.money(discount_amount) if discount_amount else None,
                "is_gift": is_gift,
                "remarks": line.get("remarks", ""),
                "position": index,
                "amount": figures.amount,
                "discount": figures.discount,
                "total": figures.total,
                "cost": figures.cost,
                "profit": figures.profit,
            }
        )
    return rows


def _totals(rows: list[dict]) -> dict:
    figures = pricing.document_money(
        [
            pricing.LineMoney(
                amount=r["amount"], discount=r["discount"], total=r["total"], cost=r["cost"], profit=r["profit"]
            )
            for r in rows
        ]
    )
    return {
        "subtotal": figures.subtotal,
        "discount": figures.discount,
        "total": figures.total,
        "cost": figures.cost,
        "profit": figures.profit,
    }


def _write_lines(model, parent_field: str, parent, rows: list[dict]) -> None:
    model.objects.filter(**{parent_field: parent}).delete()  # one by one below: each line keeps its history
    for row in rows:
        model.objects.create(**{parent_field: parent}, **row)


def _check_dates(values: dict, start_field: str, end_field: str) -> None:
    start, end = values.get(start_field), values.get(end_field)
    if start and end and end < start:
        raise InvalidInput(fields={end_field: [_("This date cannot be before the document date.")]})


# ---------------------------------------------------------------- quotes (SAL-4)


@transaction.atomic
def quote_create(*, actor: User, customer_id: int, data: dict, lines: list[dict]) -> Quote:
    customer = _writable_customer(actor=actor, customer_id=customer_id)
    values = {k: v for k, v in data.items() if k in QUOTE_FIELDS}
    values.setdefault("quote_date", timezone.localdate())
    _check_dates(values, "quote_date", "valid_until")
    rows = _priced_lines(lines)
    quote = Quote(
        number=next_number("Q", timezone.localdate()),
        customer=customer,
        owner=actor,
        created_by=actor,
        **values,
        **_totals(rows),
    )
    quote._change_reason = "create"
    quote.save()
    _write_lines(QuoteLine, "quote", quote, rows)
    return quote


@transaction.atomic
def quote_update(
    *, actor: User, quote: Quote, version: int | None, data: dict, lines: list[dict] | None = None, current=None
) -> Quote:
    _check_writable(actor, quote.customer)
    if quote.status not in (QuoteStatus.DRAFT, QuoteStatus.SENT):
        raise Conflict(_("An accepted or rejected quote can no longer be changed."), code="invalid_status")
    changes = {k: v for k, v in data.items() if k in QUOTE_FIELDS}
    merged = {"quote_date": quote.quote_date, "valid_until": quote.valid_until, **changes}
    _check_dates(merged, "quote_date", "valid_until")
    rows = None
    if lines is not None:
        had = set(quote.lines.values_list("product_id", flat=True))
        rows = _priced_lines(lines, allowed_inactive=had)
        changes.update(_totals(rows))
    quote._change_reason = "edit"
    versioned_update(quote, version=version, changes=changes, current=current)
    if rows is not None:
        _write_lines(QuoteLine, "quote", quote, rows)
    return quote


QUOTE_TRANSITIONS = {  # verb → (statuses it may leave, status it reaches)
    "send": ({QuoteStatus.DRAFT}, QuoteStatus.SENT),
    "accept": ({QuoteStatus.DRAFT, QuoteStatus.SENT}, QuoteStatus.ACCEPTED),
    "reject": ({QuoteStatus.DRAFT, QuoteStatus.SENT}, QuoteStatus.REJECTED),
}


def quote_set_status(*, actor: User, ids: list[int], verb: str, reason: str = "") -> BatchResult:
    """发送 / 接受 / 拒绝 in batch; each id on its own, the move a conditional UPDATE on the status."""
    sources, target = QUOTE_TRANSITIONS[verb]
    visible = customer_visible(user=actor)
    result = BatchResult()
    for pk in dict.fromkeys(ids):
        try:
            with transaction.atomic():
                quote = Quote.objects.select_related("customer").filter(pk=pk, customer__in=visible).first()
                if quote is None:
                    raise NotFound()
                _check_writable(actor, quote.customer)
                moved = Quote.objects.filter(pk=pk, status__in=sources).update(
                    status=target, status_reason=reason, version=F("version") + 1
                )
                if not moved:
                    raise Conflict(
                        _("A %(status)s quote cannot be moved this way.") % {"status": quote.get_status_display()},
                        code="invalid_status",
                    )
                quote.refresh_from_db()
                quote._change_reason = verb
                quote.save(update_fields=["updated_at"])  # the history row of the move
            result.ok(pk)
        except ShoalError as error:
            result.fail(pk, error)
    return result


def quote_delete(*, actor: User, ids: list[int], reason: str = "") -> BatchResult:
    """删除 in batch (soft): drafts and rejected quotes that never became an order; each id on its own."""
    visible = customer_visible(user=actor)
    result = BatchResult()
    for pk in dict.fromkeys(ids):
        try:
            with transaction.atomic():
                quote = (
                    Quote.objects.select_related("customer")
                    .filter(pk=pk, customer__in=visible, deleted_at__isnull=True)
                    .first()
                )
                if quote is None:
                    raise NotFound()
                _check_writable(actor, quote.customer)
                deletable = Quote.objects.filter(
                    pk=pk,
                    deleted_at__isnull=True,
                    status__in=[QuoteStatus.DRAFT, QuoteStatus.REJECTED],
                    order__isnull=True,
                )
                if not deletable.update(deleted_at=timezone.now(), status_reason=reason, version=F("version") + 1):
                    raise Conflict(
                        _("Only draft or rejected quotes that never became an order can be deleted."),
                        code="invalid_status",
                    )
                quote.refresh_from_db()
                quote._change_reason = "delete"
                quote.save(update_fields=["updated_at"])
            result.ok(pk)
        except ShoalError as error:
            result.fail(pk, error)
    return result


@transaction.atomic
def quote_convert(*, actor: User, quote: Quote, data: dict | None = None) -> Order:
    """转为订单: an accepted quote becomes an order with the same lines and prices, once."""
    _check_writable(actor, quote.customer)
    quote = Quote.objects.select_for_update().select_related("customer").get(pk=quote.pk)
    if quote.status != QuoteStatus.ACCEPTED:
        raise Conflict(_("Only an accepted quote can become an order."), code="invalid_status")
    if Order.objects.filter(quote=quote).exists():
        raise Conflict(_("This quote has already become an order."), code="already_converted")
    values = {k: v for k, v in (data or {}).items() if k in ORDER_FIELDS}
    values.setdefault("order_date", timezone.localdate())
    values.setdefault("contact_name", quote.contact_name)
    values.setdefault("remarks", quote.remarks)
    rows = [{f: getattr(line, f) for f in LINE_FIELDS} | {"product": line.product} for line in quote.lines.all()]
    try:
        with transaction.atomic():
            order = _order_insert(actor=actor, customer=quote.customer, values=values, rows=rows, quote=quote)
    except IntegrityError:  # converted by someone else at the same moment
        raise Conflict(_("This quote has already become an order."), code="already_converted") from None
    return order


# ---------------------------------------------------------------- orders (SAL-5)


def _order_insert(*, actor: User, customer: Customer, values: dict, rows: list[dict], quote=None) -> Order:
    order = Order(
        number=next_number("SO", timezone.localdate()),
        customer=customer,
        owner=actor,
        created_by=actor,
        quote=quote,
        **values,
        **_totals(rows),
    )
    order._change_reason = "convert" if quote else "create"
    order.save()
    _write_lines(OrderLine, "order", order, rows)
    return order


@transaction.atomic
def order_create(*, actor: User, customer_id: int, data: dict, lines: list[dict]) -> Order:
    customer = _writable_customer(actor=actor, customer_id=customer_id)
    values = {k: v for k, v in data.items() if k in ORDER_FIELDS}
    values.setdefault("order_date", timezone.localdate())
    _check_dates(values, "order_date", "delivery_date")
    return _order_insert(actor=actor, customer=customer, values=values, rows=_priced_lines(lines))


def _lock_open_order(order: Order) -> Order:
    locked = Order.objects.select_for_update().select_related("customer").get(pk=order.pk)
    if locked.status == OrderStatus.CANCELLED:
        raise Conflict(_("This order is cancelled."), code="order_cancelled")
    return locked


@transaction.atomic
def order_update(
    *, actor: User, order: Order, version: int | None, data: dict, lines: list[dict] | None = None, current=None
) -> Order:
    _check_writable(actor, order.customer)
    locked = _lock_open_order(order)
    changes = {k: v for k, v in data.items() if k in ORDER_FIELDS}
    merged = {"order_date": locked.order_date, "delivery_date": locked.delivery_date, **changes}
    _check_dates(merged, "order_date", "delivery_date")
    rows = None
    if lines is not None:
        if locked.shipments.exists():
            raise Conflict(_("Lines cannot change once something has been shipped."), code="order_shipped")
        had = set(locked.lines.values_list("product_id", flat=True))
        rows = _priced_lines(lines, allowed_inactive=had)
        changes.update(_totals(rows))
        if changes["total"] < locked.received:
            raise Conflict(
                _("The new total is less than what has already been received (%(received)s).")
                % {"received": locked.received},
                code="below_received",
            )
        changes.update(_payment_fields(locked.received, changes["total"]))
    locked._change_reason = "edit"
    versioned_update(locked, version=version, changes=changes, current=current)
    if rows is not None:
        _write_lines(OrderLine, "order", locked, rows)
        _settle_order(locked, reason="edit")
    return locked


def order_cancel(*, actor: User, ids: list[int], reason: str) -> BatchResult:
    """取消: the order stays, marked cancelled with the reason (its history keeps every earlier state).
    Refused once goods or money have moved — those must be reversed first."""
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("Say why the order is cancelled.")]})
    visible = customer_visible(user=actor)
    result = BatchResult()
    for pk in dict.fromkeys(ids):
        try:
            with transaction.atomic():
                order = Order.objects.select_related("customer").filter(pk=pk, customer__in=visible).first()
                if order is None:
                    raise NotFound()
                _check_writable(actor, order.customer)
                order = Order.objects.select_for_update().get(pk=pk)
                if order.status == OrderStatus.CANCELLED:
                    raise Conflict(_("This order is cancelled."), code="order_cancelled")
                if order.shipping_status != ShippingStatus.UNSHIPPED or order.received > 0:
                    raise Conflict(
                        _("An order with shipments or receipts cannot be cancelled."), code="order_in_progress"
                    )
                moved = Order.objects.filter(
                    pk=pk, status=OrderStatus.OPEN, shipping_status=ShippingStatus.UNSHIPPED, received=0
                ).update(
                    status=OrderStatus.CANCELLED,
                    cancel_reason=reason.strip(),
                    cancelled_at=timezone.now(),
                    version=F("version") + 1,
                )
                if not moved:
                    raise Conflict()
                order.refresh_from_db()
                order._change_reason = "cancel"
                order.save(update_fields=["updated_at"])
            result.ok(pk)
        except ShoalError as error:
            result.fail(pk, error)
    return result


def _payment_fields(received: Decimal, total: Decimal) -> dict:
    if received <= 0:
        status = PaymentStatus.UNPAID if total > 0 else PaymentStatus.PAID
    elif received >= total:
        status = PaymentStatus.PAID
    else:
        status = PaymentStatus.PARTIAL
    return {"payment_status": status}


def _settle_order(order: Order, *, reason: str) -> None:
    """Recompute shipping/payment/completion from the rows and write one history row."""
    order.refresh_from_db()
    sums = order.lines.aggregate(ordered=Sum("quantity"), shipped=Sum("shipped_quantity"))
    shipped, ordered = sums["shipped"] or 0, sums["ordered"] or 0
    if shipped <= 0:
        order.shipping_status = ShippingStatus.UNSHIPPED
    elif shipped >= ordered:
        order.shipping_status = ShippingStatus.SHIPPED
    else:
        order.shipping_status = ShippingStatus.PARTIAL
    order.payment_status = _payment_fields(order.received, order.total)["payment_status"]
    if order.status != OrderStatus.CANCELLED:
        done = order.shipping_status == ShippingStatus.SHIPPED and order.payment_status == PaymentStatus.PAID
        order.status = OrderStatus.COMPLETED if done else OrderStatus.OPEN
    order._change_reason = reason
    order.save()


@transaction.atomic
def shipment_record(*, actor: User, order: Order, shipped_on: date, lines: list[dict], **extra) -> Shipment:
    """发货: some quantity of some lines. Each line's shipped quantity rises by a conditional UPDATE
    that only matches while it stays within the ordered quantity (and a CHECK constraint backs it),
    so two people shipping the same line at once can never ship more than was ordered."""
    _check_writable(actor, order.customer)
    order = _lock_open_order(order)
    if not lines:
        raise InvalidInput(fields={"lines": [_("Say what is shipped.")]})
    own = order.lines.in_bulk()
    shipment = Shipment.objects.create(
        order=order,
        shipped_on=shipped_on,
        created_by=actor,
        tracking_number=extra.get("tracking_number", ""),
        remarks=extra.get("remarks", ""),
    )
    for index, line in enumerate(lines):
        order_line = own.get(line["order_line"])
        quantity = Decimal(line["quantity"])
        if order_line is None:
            raise InvalidInput(fields={f"lines[{index}].order_line": [_("This line is not on the order.")]})
        if quantity <= 0:
            raise InvalidInput(fields={f"lines[{index}].quantity": [_("The quantity must be more than 0.")]})
        try:
            with transaction.atomic():
                moved = OrderLine.objects.filter(
                    pk=order_line.pk, shipped_quantity__lte=F("quantity") - quantity
                ).update(shipped_quantity=F("shipped_quantity") + quantity)
        except IntegrityError:
            moved = 0
        if not moved:
            order_line.refresh_from_db()
            left = order_line.quantity - order_line.shipped_quantity
            message = _("%(product)s: only %(left)s left to ship.") % {"product": order_line.product_name, "left": left}
            raise Conflict(message, code="over_shipment", fields={f"lines[{index}].quantity": [message]})
        ShipmentLine.objects.create(shipment=shipment, order_line=order_line, quantity=quantity)
    _settle_order(order, reason="shipment")
    return shipment


@transaction.atomic
def receipt_record(
    *, actor: User, order: Order, amount: Decimal, received_on: date, method: str = "", remarks: str = ""
) -> Receipt:
    """收款 against an order: the received sum rises by a conditional UPDATE that only matches while
    it stays within the order total (a CHECK constraint backs it): no over-payment, whatever the race."""
    _check_writable(actor, order.customer)
    order = _lock_open_order(order)
    amount = pricing.money(amount)
    if amount <= 0:
        raise InvalidInput(fields={"amount": [_("The amount must be more than 0.")]})
    try:
        with transaction.atomic():
            moved = Order.objects.filter(pk=order.pk, received__lte=F("total") - amount).update(
                received=F("received") + amount
            )
    except IntegrityError:
        moved = 0
    if not moved:
        order.refresh_from_db()
        message = _("Only %(left)s is still to be received on this order.") % {"left": order.total - order.received}
        raise Conflict(message, code="overpayment", fields={"amount": [message]})
    receipt = Receipt.objects.create(
        order=order, amount=amount, received_on=received_on, method=method, remarks=remarks, created_by=actor
    )
    _settle_order(order, reason="receipt")
    return receipt
