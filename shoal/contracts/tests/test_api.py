from datetime import date, timedelta

import pytest

from shoal.contracts import services
from shoal.contracts.tests.factories import contract, plan
from shoal.customers.models import Share
from shoal.customers.tests.factories import CustomerFactory
from shoal.opportunities.tests.factories import opportunity

pytestmark = pytest.mark.django_db


def test_from_won_opportunity_to_contract_plans_and_a_partial_payment(cast, client_for, stage):
    customer = CustomerFactory(owner=cast["owner"])
    opp = opportunity(customer, cast["owner"], expected_amount="20000.00")
    client = client_for(cast["owner"])
    client.patch(
        f"/api/v1/opportunities/{opp.pk}/",
        {"version": 1, "stage": stage["won"].pk, "close_reason": "报价通过"},
        format="json",
    )
    made = client.post("/api/v1/contracts/", {"opportunity": opp.pk, "ends_on": "2027-06-30"}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["amount"] == "20000.00" and body["customer"] == customer.pk and body["status"] == "draft"
    assert body["next_statuses"] == ["in_approval", "terminated"]
    for due, amount in (("2026-12-01", "12000.00"), ("2027-03-01", "8000.00")):
        created = client.post(
            "/api/v1/receivables/", {"contract": body["id"], "due_on": due, "amount": amount}, format="json"
        )
        assert created.status_code == 201, created.content
    over = client.post(
        "/api/v1/receivables/", {"contract": body["id"], "due_on": "2027-04-01", "amount": "0.01"}, format="json"
    )
    assert over.status_code == 400 and over.json()["error"]["code"] == "plans_exceed_amount"
    first = client.get("/api/v1/receivables/", {"contract": body["id"]}).json()["results"][0]
    paid = client.post("/api/v1/payments/", {"plan": first["id"], "amount": "5000.00"}, format="json")
    assert paid.status_code == 201
    too_much = client.post("/api/v1/payments/", {"plan": first["id"], "amount": "7000.01"}, format="json")
    assert too_much.status_code == 400
    error = too_much.json()["error"]
    assert error["code"] == "overpayment" and "7000.00" in error["message"] and "amount" in error["fields"]
    detail = client.get(f"/api/v1/contracts/{body['id']}/").json()
    assert detail["received"] == "5000.00" and detail["outstanding"] == "15000.00"
    assert [p["outstanding"] for p in detail["plans"]] == ["7000.00", "8000.00"]
    history = client.get(f"/api/v1/contracts/{body['id']}/history/").json()
    assert [e["action"] for e in history][:2] == ["payment", "plan"]


def test_status_transition_and_filter_by_status(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    first, second = contract(customer, cast["owner"]), contract(customer, cast["owner"])
    client = client_for(cast["owner"])
    moved = client.post(f"/api/v1/contracts/{first.pk}/transition/", {"status": "in_approval"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "in_approval"
    wrong = client.post(f"/api/v1/contracts/{second.pk}/transition/", {"status": "completed"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_transition"
    assert [r["id"] for r in client.get("/api/v1/contracts/", {"status": "in_approval"}).json()["results"]] == [
        first.pk
    ]
    both = client.get("/api/v1/contracts/?status=draft&status=in_approval").json()
    assert both["count"] == 2
    assert client.get("/api/v1/contracts/", {"status": "nope"}).status_code == 400
    stale = client.patch(f"/api/v1/contracts/{second.pk}/", {"version": 99, "remarks": "x"}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["current"]["id"] == second.pk


def test_invisible_customers_money_is_404_everywhere(cast, client_for):
    made = contract(CustomerFactory(owner=cast["owner"]), cast["owner"])
    instalment = plan(made, "100.00")
    payment = services.payment_record(actor=cast["owner"], plan=instalment, amount=1, received_on=date.today())
    outsider = client_for(cast["outsider"])
    for url in (
        f"/api/v1/contracts/{made.pk}/",
        f"/api/v1/contracts/{made.pk}/history/",
        f"/api/v1/receivables/{instalment.pk}/",
        f"/api/v1/payments/{payment.pk}/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post("/api/v1/payments/", {"plan": instalment.pk, "amount": "1"}, format="json").status_code == 404
    assert outsider.get("/api/v1/contracts/").json()["count"] == 0
    written = outsider.post("/api/v1/receivables/write-off/", {"ids": [instalment.pk], "reason": "x"}, format="json")
    assert written.status_code == 403  # reps may not write off at all


def test_a_manager_writes_off_a_bad_debt_and_a_read_only_sharee_cannot_pay(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    instalment = plan(contract(customer, cast["owner"]), "100.00")
    sharee = client_for(cast["sharee"])
    assert sharee.get(f"/api/v1/receivables/{instalment.pk}/").status_code == 200
    assert sharee.post("/api/v1/payments/", {"plan": instalment.pk, "amount": "1"}, format="json").status_code == 403
    result = client_for(cast["manager"]).post(
        "/api/v1/receivables/write-off/", {"ids": [instalment.pk], "reason": "客户注销"}, format="json"
    )
    assert result.json() == {"succeeded": [instalment.pk], "failed": []}
    row = client_for(cast["owner"]).get(f"/api/v1/receivables/{instalment.pk}/").json()
    assert row["status"] == "written_off" and row["outstanding"] == "0.00" and row["write_off_reason"] == "客户注销"


def test_collection_list_shows_what_is_left_to_collect(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    instalment = plan(contract(customer, cast["owner"]), "1000.00", due_on=date.today())
    services.payment_record(actor=cast["owner"], plan=instalment, amount=400, received_on=date.today())
    services.collection_tasks_generate()
    client = client_for(cast["owner"])
    rows = client.get(
        "/api/v1/collection-tasks/",
        {"mine": "true", "status": "open", "due_on__lte": (date.today() + timedelta(days=7)).isoformat()},
    ).json()["results"]
    assert len(rows) == 1 and rows[0]["outstanding"] == "600.00" and rows[0]["customer_name"] == customer.name
    done = client.post("/api/v1/collection-tasks/done/", {"ids": [rows[0]["id"]], "note": "已电话"}, format="json")
    assert done.json()["succeeded"] == [rows[0]["id"]]


def test_money_lists_run_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for _ in range(50):
        made = contract(CustomerFactory(owner=cast["owner"]), cast["owner"], "100.00")
        services.payment_record(actor=cast["owner"], plan=plan(made, "100.00"), amount=1, received_on=date.today())
    services.collection_tasks_generate()
    client = client_for(cast["manager"])
    for url in ("/api/v1/contracts/", "/api/v1/receivables/", "/api/v1/payments/", "/api/v1/collection-tasks/"):
        with django_assert_max_num_queries(12):
            response = client.get(url, {"page_size": 60})
        assert len(response.json()["results"]) == 50, url


def test_a_contract_made_from_a_sales_order_takes_its_customer_total_and_number(cast, client_for):
    from shoal.orders.tests.factories import order_for

    order = order_for(cast["owner"])  # 10 × 100.00
    client = client_for(cast["owner"])
    made = client.post("/api/v1/contracts/", {"order": order.pk}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["customer"] == order.customer_id and body["amount"] == "1000.00"
    assert body["order"] == order.pk and body["order_number"] == order.number and body["title"] == order.number
    # someone who cannot see the order's customer cannot make a contract from it
    assert (
        client_for(cast["outsider"]).post("/api/v1/contracts/", {"order": order.pk}, format="json").status_code == 404
    )
    # nor can the order be put on another customer
    other = CustomerFactory(owner=cast["owner"])
    wrong = client.post("/api/v1/contracts/", {"order": order.pk, "customer": other.pk}, format="json")
    assert wrong.status_code == 400 and "order" in wrong.json()["error"]["fields"]


def test_a_cancelled_order_does_not_become_a_contract(cast, client_for):
    from shoal.orders import services as order_services
    from shoal.orders.tests.factories import order_for

    order = order_for(cast["owner"])
    order_services.order_cancel(actor=cast["owner"], ids=[order.pk], reason="客户取消")
    made = client_for(cast["owner"]).post("/api/v1/contracts/", {"order": order.pk}, format="json")
    assert made.status_code == 400 and "order" in made.json()["error"]["fields"]


def test_contract_attachments_follow_the_contract(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    customer = CustomerFactory(owner=cast["owner"])
    made = contract(customer, cast["owner"])
    url = f"/api/v1/contracts/{made.pk}/attachments/"
    owner = client_for(cast["owner"])
    uploaded = owner.post(url, {"file": SimpleUploadedFile("签字版.pdf", pdf)}, format="multipart")
    assert uploaded.status_code == 201, uploaded.content
    assert [a["name"] for a in owner.get(url).json()["results"]] == ["签字版.pdf"]
    download = owner.get(f"/api/v1/attachments/{uploaded.json()['id']}/download/")
    assert b"".join(download.streaming_content) == pdf
    assert any(e["action"] == "edit" for e in owner.get(f"/api/v1/contracts/{made.pk}/history/").json())
    # an outsider does not learn the contract exists; a read-only sharee looks but does not upload
    assert client_for(cast["outsider"]).get(url).status_code == 404
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    sharee = client_for(cast["sharee"])
    assert sharee.get(url).status_code == 200
    refused = sharee.post(url, {"file": SimpleUploadedFile("b.pdf", pdf)}, format="multipart")
    assert refused.status_code == 403
