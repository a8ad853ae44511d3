import pytest

from shoal.customers.models import Share
from shoal.customers.tests.factories import CustomerFactory
from shoal.opportunities.models import Conflict
from shoal.opportunities.tests.factories import opportunity

pytestmark = pytest.mark.django_db
URL = "/api/v1/opportunities/"


def test_a_rep_opens_an_opportunity_and_moves_it_on_the_board(cast, client_for, stage):
    customer = CustomerFactory(owner=cast["owner"])
    client = client_for(cast["owner"])
    created = client.post(
        URL,
        {
            "customer": customer.pk,
            "title": "年度采购",
            "expected_amount": "88000.00",
            "competitors": [{"name": "友商A", "strengths": "价格低", "weaknesses": "交付慢"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == stage["initial"].pk and body["probability"] == 10 and body["editable"] is True
    assert body["competitors"][0]["weaknesses"] == "交付慢" and body["expected_amount"] == "88000.00"
    moved = client.patch(f"{URL}{body['id']}/", {"version": 1, "stage": stage["needs"].pk}, format="json")
    assert moved.status_code == 200 and moved.json()["stage_name"] == "需求确认"
    stale = client.patch(f"{URL}{body['id']}/", {"version": 1, "stage": stage["proposal"].pk}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert stale.json()["error"]["current"]["stage"] == stage["needs"].pk
    won = client.patch(f"{URL}{body['id']}/", {"version": 2, "stage": stage["won"].pk}, format="json")
    assert won.status_code == 400 and "close_reason" in won.json()["error"]["fields"]
    history = client.get(f"{URL}{body['id']}/history/").json()
    assert [e["action"] for e in history] == ["stage", "create"]


def test_outsiders_get_404_and_lists_hold_only_visible_customers_records(cast, client_for):
    mine = opportunity(CustomerFactory(owner=cast["owner"]), cast["owner"])
    opportunity(CustomerFactory(owner=cast["outsider"]), cast["outsider"])
    outsider = client_for(cast["outsider"])
    assert outsider.get(f"{URL}{mine.pk}/").status_code == 404
    assert outsider.get(f"{URL}{mine.pk}/history/").status_code == 404
    assert outsider.patch(f"{URL}{mine.pk}/", {"version": 1}, format="json").status_code == 404
    ids = {row["id"] for row in client_for(cast["owner"]).get(URL).json()["results"]}
    assert ids == {mine.pk}
    manager_ids = {row["id"] for row in client_for(cast["manager"]).get(URL).json()["results"]}
    assert mine.pk in manager_ids
    hidden = CustomerFactory(owner=cast["outsider"])
    response = client_for(cast["owner"]).post(URL, {"customer": hidden.pk, "title": "x"}, format="json")
    assert response.status_code == 404


def test_filters_sorting_and_bad_filters(cast, client_for, stage):
    customer = CustomerFactory(owner=cast["owner"])
    small = opportunity(customer, cast["owner"], expected_amount="100.00", title="小单")
    big = opportunity(customer, cast["owner"], expected_amount="900.00", title="大单")
    client = client_for(cast["owner"])
    rows = client.get(URL, {"ordering": "-expected_amount"}).json()["results"]
    assert [r["id"] for r in rows] == [big.pk, small.pk]
    assert client.get(URL, {"expected_amount__gte": "500"}).json()["count"] == 1
    assert client.get(URL, {"q": "小单"}).json()["results"][0]["id"] == small.pk
    assert client.get(URL, {"stage": stage["initial"].pk, "status": "open"}).json()["count"] == 2
    assert client.get(URL, {"status": "bogus"}).status_code == 400


def test_opportunity_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for _ in range(50):
        opportunity(CustomerFactory(owner=cast["owner"]), cast["owner"])
    client = client_for(cast["manager"])
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"page_size": 60})
    assert len(response.json()["results"]) == 50


def test_conflict_is_listed_for_the_manager_and_decided_in_one_call(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    client_for(cast["sharee"]).post(URL, {"customer": customer.pk, "title": "抢单"}, format="json")
    manager = client_for(cast["manager"])
    todo = manager.get("/api/v1/conflicts/", {"view": "to_decide"}).json()
    assert todo["count"] == 1
    conflict = todo["results"][0]
    assert conflict["incumbent_name"] and conflict["challenger"] == cast["sharee"].pk
    rep = client_for(cast["sharee"])
    assert rep.post(f"/api/v1/conflicts/{conflict['id']}/resolve/", {}, format="json").status_code == 403
    decided = manager.post(
        f"/api/v1/conflicts/{conflict['id']}/resolve/",
        {"winner": cast["owner"].pk, "decision": "客户一直由原负责人跟进"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "resolved"
    seen_by_rep = rep.get("/api/v1/conflicts/", {"view": "mine"}).json()["results"][0]
    assert seen_by_rep["winner_name"] and seen_by_rep["decision"] == "客户一直由原负责人跟进"
    again = manager.post(
        f"/api/v1/conflicts/{conflict['id']}/resolve/", {"winner": cast["owner"].pk, "decision": "再"}, format="json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_resolved"
    assert client_for(cast["outsider"]).get(f"/api/v1/conflicts/{conflict['id']}/").status_code == 404


def test_conflict_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for _ in range(50):
        customer = CustomerFactory(owner=cast["owner"])
        opportunity(customer, cast["colleague"])
    assert Conflict.objects.count() == 50
    with django_assert_max_num_queries(12):
        response = client_for(cast["manager"]).get("/api/v1/conflicts/", {"page_size": 60})
    assert len(response.json()["results"]) == 50


def test_only_pipeline_managers_edit_stages(cast, client_for, stage):
    rep = client_for(cast["owner"])
    assert len(rep.get("/api/v1/opportunity-stages/").json()) == 6
    assert rep.post("/api/v1/opportunity-stages/", {"code": "x", "name": "x"}, format="json").status_code == 403
    admin = client_for(cast["admin"])
    changed = admin.patch(
        f"/api/v1/opportunity-stages/{stage['needs'].pk}/", {"version": 1, "probability": 35}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["probability"] == 35
    too_much = admin.patch(
        f"/api/v1/opportunity-stages/{stage['needs'].pk}/", {"version": 2, "probability": 130}, format="json"
    )
    assert too_much.status_code == 400
