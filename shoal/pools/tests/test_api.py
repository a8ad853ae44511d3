from datetime import timedelta

import pytest
from django.utils import timezone

from shoal.customers import services as customers
from shoal.customers.models import Customer
from shoal.customers.tests.factories import CustomerFactory
from shoal.pools.models import Pool, PoolRules
from shoal.pools.selectors import default_pool
from shoal.pools.tests.factories import make_pool, set_rules

pytestmark = pytest.mark.django_db

URL = "/api/v1/pools/"


def test_an_administrator_creates_a_pool_with_members_and_a_rep_cannot(cast, client_for, company):
    body = {"name": "华南公海", "member_departments": [company["team_a"].pk], "administrators": [cast["manager"].pk]}
    assert client_for(cast["owner"]).post(URL, body, format="json").status_code == 403
    response = client_for(cast["admin"]).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["member_departments"] == [company["team_a"].pk] and created["open_to_all"] is False
    # members see it in their pool switcher, others do not
    assert "华南公海" in [p["name"] for p in client_for(cast["owner"]).get(URL).json()]
    assert "华南公海" not in [p["name"] for p in client_for(cast["outsider"]).get(URL).json()]
    assert client_for(cast["outsider"]).get(f"{URL}{created['id']}/").status_code == 404


def test_rules_are_saved_with_their_version_and_a_stale_one_gets_409(cast, client_for):
    pool = default_pool()
    client = client_for(cast["admin"])
    rules = client.get(f"{URL}{pool.pk}/rules/").json()
    assert rules["auto_return"] is False
    changed = {"version": rules["version"], "daily_claim": True, "daily_claim_limit": 2}
    response = client.patch(f"{URL}{pool.pk}/rules/", changed, format="json")
    assert response.status_code == 200 and response.json()["daily_claim_limit"] == 2
    stale = client.patch(f"{URL}{pool.pk}/rules/", changed, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert stale.json()["error"]["current"]["daily_claim_limit"] == 2


def test_bad_rules_get_400_not_500(cast, client_for):
    pool = default_pool()
    client = client_for(cast["admin"])
    version = PoolRules.objects.get(pool=pool).version
    for body in (
        {"daily_claim_limit": -1},
        {"level_days": {"a": {"no_follow_up_days": -3}}},
        {"level_days": "x"},
        {"holding_scope": "planet"},
        {"return_to": 999999},
    ):
        response = client.patch(f"{URL}{pool.pk}/rules/", {"version": version, **body}, format="json")
        assert response.status_code == 400, (body, response.content)


def test_a_refused_claim_names_the_rule_and_when_in_chinese(cast, client_for):
    set_rules(daily_claim=True, daily_claim_limit=1)
    rows = [CustomerFactory(), CustomerFactory()]
    client = client_for(cast["owner"])
    response = client.post(
        "/api/v1/customers/claim/", {"ids": [r.pk for r in rows]}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    failed = response.json()["failed"]
    assert failed[0]["code"] == "claim_limit_reached"
    assert failed[0]["message"] == "今日领用已达上限 1（每日领用上限），明日可继续领用。"


def test_preview_lists_who_would_go_back_tomorrow(cast, client_for):
    pool = default_pool()
    for _ in range(3):
        CustomerFactory(owner=cast["owner"], claimed_at=timezone.now() - timedelta(days=10))
    CustomerFactory(owner=cast["colleague"], claimed_at=timezone.now() - timedelta(days=10))
    response = client_for(cast["admin"]).post(
        f"{URL}{pool.pk}/preview/", {"auto_return": True, "no_follow_up_days": 7}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["customers"], body["reps"]) == (4, 2)
    assert body["by_rule"] == {"no_follow_up": 4}
    assert body["sample"][0]["reason"]
    assert Customer.objects.filter(owner__isnull=True).count() == 0  # a dry run


def test_pool_rows_mask_phones_until_claimed(cast, client_for):
    set_rules(mask_phones=True)
    free = CustomerFactory(mobile="13812345678", phone="0755-66001234")
    CustomerFactory(owner=cast["colleague"], mobile="13900001111")
    rows = {r["id"]: r for r in client_for(cast["owner"]).get("/api/v1/pool/").json()["results"]}
    assert rows[free.pk]["mobile_masked"] == "138****5678"
    assert rows[free.pk]["phone_masked"] == "075****1234"
    claimed = [r for pk, r in rows.items() if pk != free.pk][0]
    assert claimed["mobile_masked"] is None and claimed["phone_masked"] is None


def test_anti_harvest_refuses_details_over_the_daily_limit(cast, client_for):
    set_rules(view_limit=True, daily_view_limit=1)
    a, b = CustomerFactory(), CustomerFactory()
    client = client_for(cast["owner"])
    assert client.get(f"/api/v1/pool/{a.pk}/").status_code == 200
    assert client.get(f"/api/v1/pool/{a.pk}/").status_code == 200  # the same one again is free
    refused = client.get(f"/api/v1/pool/{b.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "view_limit_reached"
    assert "明日" in refused.json()["error"]["message"]


def test_returning_to_another_pool_and_the_pool_filter(cast, client_for):
    other = make_pool("华东公海")
    customer = CustomerFactory(owner=cast["owner"], claimed_at=timezone.now())
    client = client_for(cast["owner"])
    response = client.post("/api/v1/customers/return/", {"ids": [customer.pk], "pool": other.pk}, format="json")
    assert response.json()["succeeded"] == [customer.pk]
    in_other = client.get("/api/v1/pool/", {"pool": other.pk}).json()["results"]
    assert [r["id"] for r in in_other] == [customer.pk] and in_other[0]["pool"] == other.pk
    assert client.get("/api/v1/pool/", {"pool": default_pool().pk}).json()["results"] == []
    bad = client.post("/api/v1/customers/return/", {"ids": [customer.pk], "pool": 999999}, format="json")
    assert bad.status_code == 400


def test_my_customers_show_and_sort_by_days_left(cast, client_for):
    set_rules(auto_return=True, no_follow_up_days=10)
    soon, later, never = CustomerFactory(), CustomerFactory(), CustomerFactory(owner=cast["owner"])
    now = timezone.now()
    customers.customer_claim(actor=cast["owner"], ids=[later.pk], now=now - timedelta(days=1))
    customers.customer_claim(actor=cast["owner"], ids=[soon.pk], now=now - timedelta(days=8))
    client = client_for(cast["owner"])
    rows = client.get("/api/v1/customers/", {"view": "mine", "ordering": "days_left"}).json()["results"]
    assert [r["id"] for r in rows] == [soon.pk, later.pk, never.pk]  # no countdown sorts last
    assert [r["days_left"] for r in rows] == [2, 9, None]
    rows = client.get("/api/v1/customers/", {"view": "mine", "ordering": "-days_left"}).json()["results"]
    assert [r["id"] for r in rows] == [later.pk, soon.pk, never.pk]


def test_lock_and_unlock(cast, client_for):
    set_rules(auto_return=True, no_follow_up_days=5, exempt_locked=True, lock_limit=5)
    customer = CustomerFactory()
    customers.customer_claim(actor=cast["owner"], ids=[customer.pk])
    client = client_for(cast["owner"])
    assert client.post(f"{URL}lock/", {"ids": [customer.pk]}, format="json").json()["succeeded"] == [customer.pk]
    row = client.get(f"/api/v1/customers/{customer.pk}/").json()
    assert row["locked"] is True and row["days_left"] is None
    client.post(f"{URL}unlock/", {"ids": [customer.pk]}, format="json")
    assert client.get(f"/api/v1/customers/{customer.pk}/").json()["days_left"] == 5


def test_move_customers_between_pools(cast, client_for):
    other = make_pool("大客户池")
    rows = [CustomerFactory(), CustomerFactory()]
    body = {"ids": [r.pk for r in rows], "to": other.pk}
    assert client_for(cast["owner"]).post(f"{URL}move/", body, format="json").status_code == 403
    assert client_for(cast["admin"]).post(f"{URL}move/", body, format="json").json()["succeeded"] == body["ids"]
    assert Customer.objects.filter(pool=other).count() == 2


def test_a_pool_with_customers_or_the_default_cannot_be_deleted(cast, client_for):
    other = make_pool("临时池")
    CustomerFactory(pool=other)
    client = client_for(cast["admin"])
    assert client.delete(f"{URL}{other.pk}/").json()["error"]["code"] == "pool_not_empty"
    assert client.delete(f"{URL}{default_pool().pk}/").json()["error"]["code"] == "default_pool"
    Customer.objects.filter(pool=other).update(pool=None)
    assert client.delete(f"{URL}{other.pk}/").status_code == 204


def test_health_dashboard_for_managers(cast, client_for):
    now = timezone.now()
    followed = CustomerFactory(owner=cast["owner"], claimed_at=now - timedelta(hours=10))
    customers.customer_follow_up_record(actor=cast["owner"], customer=followed, at=now - timedelta(hours=4))
    CustomerFactory(owner=cast["owner"], claimed_at=now)
    CustomerFactory()
    assert client_for(cast["owner"]).get(f"{URL}health/").status_code == 403
    body = client_for(cast["manager"]).get(f"{URL}health/").json()
    assert body["claimed"] == 2 and body["unclaimed"] == 1
    assert body["first_follow_up_hours_median"] == 6.0
    assert body["never_followed"] == 1
    assert body["freshness"]["never_followed"] == 1


def test_pool_list_runs_a_constant_number_of_queries(cast, client_for, company, django_assert_max_num_queries):
    for i in range(50):
        make_pool(f"池{i}", member_users=[cast["owner"]], member_departments=[company["team_a"]])
    with django_assert_max_num_queries(8):
        response = client_for(cast["admin"]).get(URL)
    assert len(response.json()) == 51
    assert Pool.objects.count() == 51
