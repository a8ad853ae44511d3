"""Authorization-matrix entries of quotes and orders (SAL-4/5): each hangs off a customer and is
visible exactly when the customer is; writes need edit access to it."""

from decimal import Decimal

from django.utils import timezone

from shoal.core.tests.matrix_cases import MISSING, Case, customers, records, version_of

QUOTES_URL = "/api/v1/quotes"
ORDERS_URL = "/api/v1/orders"
VIEW, EDIT = "sales.view", "sales.edit"


def populate(world) -> None:
    """Per customer of the world: a draft quote, an accepted quote and an open order, each carrying
    private text that must reach nobody who cannot see the customer."""
    from shoal.orders import services
    from shoal.orders.models import Order, OrderLine, Quote, QuoteLine, QuoteStatus
    from shoal.products.models import Product

    product = Product.objects.create(code="M-Q", name="矩阵报价产品", list_price=Decimal(100), cost=Decimal(50))
    admin = world.users["admin"]
    lines = services._priced_lines([{"product": product.pk, "quantity": Decimal(5)}])
    today = timezone.localdate()
    for name in ("quotes", "accepted_quotes", "orders"):
        world.extra[name] = {}
    for key, customer in world.customers.items():
        owner = customer.owner or admin
        for name, status in (("quotes", QuoteStatus.DRAFT), ("accepted_quotes", QuoteStatus.ACCEPTED)):
            quote = Quote.objects.create(
                number=services.next_number("Q", today),
                customer=customer,
                owner=owner,
                quote_date=today,
                status=status,
                title=f"机密报价{key}",
                **services._totals(lines),
            )
            for row in lines:
                QuoteLine.objects.create(quote=quote, **row)
            world.extra[name][key] = quote
        order = Order.objects.create(
            number=services.next_number("SO", today),
            customer=customer,
            owner=owner,
            order_date=today,
            remarks=f"机密订单{key}",
            delivery_address=f"机密送货{key}",
            **services._totals(lines),
        )
        for row in lines:
            OrderLine.objects.create(order=order, **row)
        world.extra["orders"][key] = order
        world.secrets[key] = [*world.secrets[key], f"机密报价{key}", f"机密订单{key}", f"机密送货{key}"]


def _line_body(w, a, t):
    return {"product": w.extra["orders"]["own"].lines.first().product_id, "quantity": "1"}


def _new_document(w, a, t):
    return {"customer": t.ids["pk"], "lines": [_line_body(w, a, t)]}


def _quote_edit(w, a, t):
    from shoal.orders.models import Quote

    return {"version": version_of(w, t, model=Quote), "title": "改"}


def _order_edit(w, a, t):
    from shoal.orders.models import Order

    return {"version": version_of(w, t, model=Order), "remarks": "改"}


def _order_line(w, t) -> int:
    order = w.extra["orders"].get(t.label)
    return order.lines.first().pk if order else MISSING


def _shipment(w, a, t):
    return {"shipped_on": str(timezone.localdate()), "lines": [{"order_line": _order_line(w, t), "quantity": "1"}]}


def _all(name):
    return lambda w, a, t: {"ids": [r.pk for r in w.extra[name].values()] + [MISSING], "reason": "矩阵"}


TABLE = {
    # -------- quotes (SAL-4)
    (f"{QUOTES_URL}/", "GET"): [Case(perm=VIEW), Case(perm=VIEW, body={"status": "draft"})],
    (f"{QUOTES_URL}/", "POST"): [Case(targets=customers, perm=EDIT, needs="edit", body=_new_document, ok=201)],
    (f"{QUOTES_URL}/{{pk}}/", "GET"): [Case(targets=records("quotes"), perm=VIEW)],
    (f"{QUOTES_URL}/{{pk}}/", "PATCH"): [Case(targets=records("quotes"), perm=EDIT, needs="edit", body=_quote_edit)],
    (f"{QUOTES_URL}/{{pk}}/history/", "GET"): [Case(targets=records("quotes"), perm=VIEW)],
    (f"{QUOTES_URL}/{{pk}}/convert/", "POST"): [
        Case(targets=records("accepted_quotes"), perm=EDIT, needs="edit", ok=201)
    ],
    # batch verbs: 200 with each id settled on its own (per-id outcomes: test_matrix_batches.py)
    (f"{QUOTES_URL}/send/", "POST"): [Case(perm=EDIT, body=_all("quotes"))],
    (f"{QUOTES_URL}/accept/", "POST"): [Case(perm=EDIT, body=_all("quotes"))],
    (f"{QUOTES_URL}/reject/", "POST"): [Case(perm=EDIT, body=_all("quotes"))],
    (f"{QUOTES_URL}/delete/", "POST"): [Case(perm=EDIT, body=_all("quotes"))],
    # -------- orders (SAL-5)
    (f"{ORDERS_URL}/", "GET"): [Case(perm=VIEW), Case(perm=VIEW, body={"shipping_status": "unshipped"})],
    (f"{ORDERS_URL}/", "POST"): [Case(targets=customers, perm=EDIT, needs="edit", body=_new_document, ok=201)],
    (f"{ORDERS_URL}/{{pk}}/", "GET"): [Case(targets=records("orders"), perm=VIEW)],
    (f"{ORDERS_URL}/{{pk}}/", "PATCH"): [Case(targets=records("orders"), perm=EDIT, needs="edit", body=_order_edit)],
    (f"{ORDERS_URL}/{{pk}}/history/", "GET"): [Case(targets=records("orders"), perm=VIEW)],
    (f"{ORDERS_URL}/{{pk}}/shipments/", "POST"): [
        Case(targets=records("orders"), perm=EDIT, needs="edit", body=_shipment, ok=201)
    ],
    (f"{ORDERS_URL}/{{pk}}/receipts/", "POST"): [
        Case(
            targets=records("orders"),
            perm=EDIT,
            needs="edit",
            body={"amount": "10.00", "received_on": "2026-11-25"},
            ok=201,
        )
    ],
    (f"{ORDERS_URL}/cancel/", "POST"): [Case(perm=EDIT, body=_all("orders"))],
}
