"""Call page API: rules reach the client as field errors, visibility (404), paging and query budgets."""

import pytest

from shoal.calls import services
from shoal.calls.models import CallAnnotation, InvalidPhone
from shoal.calls.tests.factories import FULL
from shoal.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_submit_rule_answers_400_with_the_field_and_a_chinese_message(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    client = client_for(cast["owner"])
    body = {"customer": customer.pk, **{k: v for k, v in FULL.items() if k != "needs_category"}}
    response = client.post("/api/v1/call-annotations/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["needs_category"]
    assert "推广需求分类" in error["message"]
    response = client.post(
        "/api/v1/call-annotations/", {**body, "needs_category": "leads", "intent_level": 2}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["intent_level_applied"] is True and response.json()["author_name"]
    assert client.get(f"/api/v1/customers/{customer.pk}/").json()["intent_level"] == 2


def test_earlier_annotations_of_a_customer_and_404_for_outsiders(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    other = CustomerFactory(owner=cast["outsider"])
    mine = services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data=FULL)
    theirs = services.annotation_create(actor=cast["outsider"], customer_id=other.pk, data=FULL)
    owner = client_for(cast["owner"])
    listed = owner.get(f"/api/v1/call-annotations/?customer={customer.pk}").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert owner.get("/api/v1/call-annotations/").json()["count"] == 1
    assert owner.get(f"/api/v1/call-annotations/{theirs.pk}/").status_code == 404
    assert owner.get(f"/api/v1/call-customers/{other.pk}/").status_code == 404
    manager = client_for(cast["manager"])  # superior: sees the rep's customer and its calls
    assert manager.get(f"/api/v1/call-annotations/{mine.pk}/").status_code == 200
    assert (
        client_for(cast["outsider"])
        .post("/api/v1/call-annotations/", {"customer": customer.pk, **FULL}, format="json")
        .status_code
        == 404
    )


def test_call_customer_shows_base_info_numbers_and_the_lease(cast, client_for):
    pool_customer = CustomerFactory(phone="0571-88001234", mobile="13800001111")
    client = client_for(cast["owner"])
    assert client.get(f"/api/v1/call-customers/{pool_customer.pk}/").status_code == 404
    leased = client.post("/api/v1/phone-leases/request/", {"count": 5}, format="json")
    assert leased.status_code == 200 and [r["phone"] for r in leased.json()] == ["0571-88001234"]
    body = client.get(f"/api/v1/call-customers/{pool_customer.pk}/").json()
    assert body["via_lease"] is True and body["can_edit"] is False
    assert body["numbers"] == ["0571-88001234", "13800001111"]
    assert body["lease"]["status"] == "active"
    # the lease opens the call page to the lessee only
    assert client_for(cast["colleague"]).get(f"/api/v1/call-customers/{pool_customer.pk}/").status_code == 404
    quota = client.get("/api/v1/phone-leases/quota/").json()
    assert quota["used"] == 1 and quota["remaining"] == quota["quota"] - 1
    lease_id = leased.json()[0]["id"]
    released = client.post("/api/v1/phone-leases/release/", {"ids": [lease_id]}, format="json").json()
    assert released["succeeded"] == [lease_id]
    assert client.get("/api/v1/phone-leases/?status=released").json()["count"] == 1


def test_invalid_numbers_are_reported_listed_and_counted(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"], mobile="13911112222")
    client = client_for(cast["owner"])
    bad = client.post(
        "/api/v1/invalid-phones/",
        {"customer": customer.pk, "phone": "13911112222", "reason": "nonsense"},
        format="json",
    )
    assert bad.status_code == 400 and "reason" in bad.json()["error"]["fields"]
    made = client.post(
        "/api/v1/invalid-phones/", {"customer": customer.pk, "phone": "13911112222", "reason": "stopped"}, format="json"
    )
    assert made.status_code == 201
    again = client.post(
        "/api/v1/invalid-phones/", {"customer": customer.pk, "phone": "13911112222", "reason": "empty"}, format="json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_marked"
    assert client.get("/api/v1/invalid-phones/?status=open").json()["count"] == 1
    assert client_for(cast["outsider"]).get("/api/v1/invalid-phones/").json()["count"] == 0
    stats = client_for(cast["manager"]).get("/api/v1/invalid-phones/stats/").json()
    assert stats[0]["user"] == cast["owner"].pk and stats[0]["stopped"] == 1
    assert client.get("/api/v1/invalid-phones/stats/?month=2026-13").status_code == 400
    resolved = client.post("/api/v1/invalid-phones/resolve/", {"ids": [made.json()["id"]]}, format="json").json()
    assert resolved["succeeded"] == [made.json()["id"]]


def test_talk_scripts_read_by_all_edited_by_managers_with_versions(cast, client_for):
    rep = client_for(cast["owner"])
    manager = client_for(cast["manager"])
    body = {"kind": "awareness", "category": "weak", "title": "讲案例", "content": "先讲同行案例"}
    assert rep.post("/api/v1/talk-scripts/", body, format="json").status_code == 403
    created = manager.post("/api/v1/talk-scripts/", body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    listed = rep.get("/api/v1/talk-scripts/?kind=awareness&category=weak").json()
    assert pk in [r["id"] for r in listed] and {r["category"] for r in listed} == {"weak"}
    assert manager.patch(f"/api/v1/talk-scripts/{pk}/", {"title": "x"}, format="json").status_code == 400
    ok = manager.patch(f"/api/v1/talk-scripts/{pk}/", {"title": "x", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = manager.patch(f"/api/v1/talk-scripts/{pk}/", {"title": "y", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["current"]["title"] == "x"
    assert manager.delete(f"/api/v1/talk-scripts/{pk}/").status_code == 204


def test_bad_filters_answer_400_not_500(cast, client_for):
    client = client_for(cast["owner"])
    for url in (
        "/api/v1/call-annotations/?customer=x",
        "/api/v1/call-annotations/?intent_level=x",
        "/api/v1/call-annotations/?created_at__gte=2026-99-01",
        "/api/v1/invalid-phones/?marked_by=x",
        "/api/v1/phone-leases/?status=x",
        "/api/v1/phone-leases/?day=x",
    ):
        assert client.get(url).status_code == 400, url


# ---------------------------------------------------------------- query budgets: 50 rows


def test_annotation_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for _ in range(50):
        customer = CustomerFactory(owner=cast["owner"])
        CallAnnotation.objects.create(customer=customer, author=cast["owner"], network_awareness="x")
    client = client_for(cast["manager"])
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/call-annotations/?page_size=60")
    assert response.json()["count"] == 50


def test_invalid_phone_and_lease_lists_run_a_constant_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    for n in range(50):
        customer = CustomerFactory(owner=cast["owner"], mobile=f"139000{n:05d}")
        InvalidPhone.objects.create(customer=customer, phone=customer.mobile, reason="empty", marked_by=cast["owner"])
    for n in range(50):
        CustomerFactory(phone=f"0571-{n:06d}")
    client = client_for(cast["owner"])
    assert len(client.post("/api/v1/phone-leases/request/", {"count": 30}, format="json").json()) == 30
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/invalid-phones/?page_size=60")
    assert response.json()["count"] == 50
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/phone-leases/?page_size=60")
    assert response.json()["count"] == 30
