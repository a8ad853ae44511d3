from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shoal.customers.models import Share
from shoal.orders.tests.factories import customer_of, order_for, quote_for
from shoal.products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _quote_body(customer, *products, **extra):
    return {
        "customer": customer.pk,
        "title": "报价",
        "valid_until": str(timezone.localdate() + timedelta(days=15)),
        "lines": [{"product": p.pk, "quantity": "2"} for p in products],
        **extra,
    }


def test_rep_creates_a_quote_and_reads_the_server_computed_totals(cast, client_for, company):
    a = ProductFactory(list_price=Decimal("1200.00"), cost=Decimal("700.00"))
    b = ProductFactory(list_price=Decimal("99.90"), cost=Decimal("40.00"))
    customer = customer_of(cast["owner"])
    client = client_for(cast["owner"])
    response = client.post("/api/v1/quotes/", _quote_body(customer, a, b), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("Q") and body["status"] == "draft"
    assert [line["unit_price"] for line in body["lines"]] == ["1200.00", "99.90"]
    assert (body["subtotal"], body["total"], body["profit"]) == ("2599.80", "2599.80", "1119.80")
    assert body["company_name"] == company["root"].name and body["customer_name"] == customer.name


def test_too_large_discount_is_a_400_naming_the_line(cast, client_for):
    product = ProductFactory(list_price=Decimal("10.00"))
    customer = customer_of(cast["owner"])
    body = _quote_body(customer, product)
    body["lines"][0]["discount_amount"] = "20.01"
    response = client_for(cast["owner"]).post("/api/v1/quotes/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "折扣（20.01）不能超过该行金额（20.00）。"
    assert error["code"] == "discount_exceeds_amount" and "lines[0].discount_amount" in error["fields"]


def test_quote_status_verbs_convert_and_history(cast, client_for):
    quote = quote_for(cast["owner"])
    client = client_for(cast["owner"])
    assert client.post("/api/v1/quotes/send/", {"ids": [quote.pk]}, format="json").json()["succeeded"] == [quote.pk]
    assert client.post(f"/api/v1/quotes/{quote.pk}/convert/").status_code == 409
    client.post("/api/v1/quotes/accept/", {"ids": [quote.pk]}, format="json")
    converted = client.post(f"/api/v1/quotes/{quote.pk}/convert/")
    assert converted.status_code == 201 and converted.json()["quote_number"] == quote.number
    assert client.get(f"/api/v1/quotes/{quote.pk}/").json()["order"] == converted.json()["id"]
    history = client.get(f"/api/v1/quotes/{quote.pk}/history/").json()
    assert [h["action"] for h in history] == ["accept", "send", "create"]


def test_quotes_of_a_customer_are_listed_for_its_tab(cast, client_for):
    customer = customer_of(cast["owner"])
    quote_for(cast["owner"], customer=customer)
    quote_for(cast["owner"], customer=customer)
    quote_for(cast["owner"])
    client = client_for(cast["owner"])
    body = client.get("/api/v1/quotes/", {"customer": customer.pk, "ordering": "number"}).json()
    assert body["count"] == 2 and body["results"][0]["number"] < body["results"][1]["number"]
    assert client.get("/api/v1/quotes/", {"status": ["draft", "sent"]}).json()["count"] == 3
    assert client.get("/api/v1/quotes/", {"status": "nope"}).status_code == 400


def test_documents_of_invisible_customers_are_404_and_absent_from_lists(cast, client_for):
    quote, order = quote_for(cast["outsider"]), order_for(cast["outsider"])
    client = client_for(cast["owner"])
    assert client.get(f"/api/v1/quotes/{quote.pk}/").status_code == 404
    assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    assert client.get(f"/api/v1/orders/{order.pk}/history/").status_code == 404
    assert client.get("/api/v1/quotes/").json()["count"] == 0
    assert client.get("/api/v1/orders/").json()["count"] == 0
    created = client.post(
        "/api/v1/orders/",
        {"customer": order.customer_id, "lines": [{"product": ProductFactory().pk, "quantity": "1"}]},
        format="json",
    )
    assert created.status_code == 404
    # the manager of the owner's department sees them (data scope)
    manager = client_for(cast["manager"])
    mine = order_for(cast["owner"])
    assert manager.get(f"/api/v1/orders/{mine.pk}/").status_code == 200


def test_read_only_sharee_sees_but_cannot_write(cast, client_for):
    order = order_for(cast["owner"])
    Share.objects.create(customer=order.customer, user=cast["sharee"], access="read")
    client = client_for(cast["sharee"])
    assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 200
    shipped = client.post(
        f"/api/v1/orders/{order.pk}/shipments/",
        {"shipped_on": str(timezone.localdate()), "lines": [{"order_line": order.lines.get().pk, "quantity": "1"}]},
        format="json",
    )
    assert shipped.status_code == 403 and shipped.json()["error"]["code"] == "read_only"


def test_order_with_discount_gift_shipment_receipt_and_cancel(cast, client_for):
    machine = ProductFactory(list_price=Decimal("2000.00"), cost=Decimal("1500.00"))
    cable = ProductFactory(list_price=Decimal("30.00"), cost=Decimal("5.00"))
    customer = customer_of(cast["owner"])
    client = client_for(cast["owner"])
    created = client.post(
        "/api/v1/orders/",
        {
            "customer": customer.pk,
            "lines": [
                {"product": machine.pk, "quantity": "2", "discount_rate": "10"},
                {"product": cable.pk, "quantity": "2", "is_gift": True},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert (order["subtotal"], order["discount"], order["total"], order["cost"], order["profit"]) == (
        "4000.00",
        "400.00",
        "3600.00",
        "3010.00",
        "590.00",
    )
    lines = order["lines"]
    shipment = {"shipped_on": str(timezone.localdate()), "lines": [{"order_line": lines[0]["id"], "quantity": "3"}]}
    over = client.post(f"/api/v1/orders/{order['id']}/shipments/", shipment, format="json")
    assert over.status_code == 409 and over.json()["error"]["code"] == "over_shipment"
    shipment["lines"][0]["quantity"] = "1"
    partial = client.post(f"/api/v1/orders/{order['id']}/shipments/", shipment, format="json").json()
    assert partial["shipping_status"] == "partial" and partial["lines"][0]["shipped_quantity"] == "1.00"
    assert partial["shipments"][0]["lines"][0]["quantity"] == "1.00"
    paid = client.post(
        f"/api/v1/orders/{order['id']}/receipts/",
        {"amount": "1000", "received_on": str(timezone.localdate())},
        format="json",
    ).json()
    assert paid["payment_status"] == "partial" and paid["balance"] == "2600.00"
    too_much = client.post(
        f"/api/v1/orders/{order['id']}/receipts/",
        {"amount": "2600.01", "received_on": str(timezone.localdate())},
        format="json",
    )
    assert too_much.status_code == 409 and too_much.json()["error"]["code"] == "overpayment"
    cancel = client.post("/api/v1/orders/cancel/", {"ids": [order["id"]], "reason": "改单"}, format="json").json()
    assert cancel["failed"][0]["code"] == "order_in_progress"


def test_order_edit_is_versioned(cast, client_for):
    order = order_for(cast["owner"])
    client = client_for(cast["owner"])
    ok = client.patch(f"/api/v1/orders/{order.pk}/", {"version": 1, "remarks": "加急"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/orders/{order.pk}/", {"version": 1, "remarks": "慢"}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["current"]["remarks"] == "加急"


def test_order_filters(cast, client_for):
    a = order_for(cast["owner"])
    order_for(cast["owner"])
    client = client_for(cast["owner"])
    client.post("/api/v1/orders/cancel/", {"ids": [a.pk], "reason": "重复下单"}, format="json")
    assert client.get("/api/v1/orders/", {"status": "cancelled"}).json()["results"][0]["id"] == a.pk
    assert client.get("/api/v1/orders/", {"shipping_status": "unshipped"}).json()["count"] == 2
    assert client.get("/api/v1/orders/", {"q": a.number}).json()["count"] == 1
    assert client.get("/api/v1/orders/", {"ordering": "-total"}).status_code == 200


def test_document_lists_run_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    product = ProductFactory()
    customers = [customer_of(cast["owner"]) for _ in range(5)]
    for n in range(50):
        customer = customers[n % 5]
        quote_for(cast["owner"], customer=customer, products=[product])
        order_for(cast["owner"], customer=customer, lines=[{"product": product.pk, "quantity": 1}])
    client = client_for(cast["owner"])
    with django_assert_max_num_queries(8):
        quotes = client.get("/api/v1/quotes/", {"page_size": 60})
    with django_assert_max_num_queries(8):
        orders = client.get("/api/v1/orders/", {"page_size": 60})
    assert len(quotes.json()["results"]) == 50 and len(orders.json()["results"]) == 50
