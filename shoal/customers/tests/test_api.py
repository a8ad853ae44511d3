import pytest

from shoal.customers import services
from shoal.customers.models import Customer
from shoal.customers.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/customers/"


def detail(pk):
    return f"{URL}{pk}/"


# ---------------------------------------------------------------- create and read


def test_a_rep_creates_a_customer_with_contacts_into_the_pool(cast, client_for):
    response = client_for(cast["owner"]).post(
        URL,
        {"name": "蓝海贸易有限公司", "source": "referral", "mobile": "139 1234 5678", "contacts": [{"name": "赵经理"}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["claimed"] is False and body["owner"] is None
    assert body["mobile"] == "13912345678"
    assert body["primary_contact_name"] == "赵经理"
    assert body["access"] == "write"  # the creator may still edit what they put in the pool


def test_create_and_claim_returns_my_customer(cast, client_for):
    response = client_for(cast["owner"]).post(URL, {"name": "蓝海贸易", "claim": True}, format="json")
    assert response.status_code == 201
    assert response.json()["owner"] == cast["owner"].pk
    assert response.json()["access"] == "owner"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 300}, "name"),
        ({"name": "好", "mobile": "123"}, "mobile"),
        ({"name": "好", "credit_code": "123"}, "credit_code"),
        ({"name": "好", "stage": 99999}, "stage"),
        ({"name": "好", "intent_level": 9}, "intent_level"),
        ({"name": "好", "source": "moon"}, "source"),
        ({"name": "好", "contacts": [{"name": ""}]}, "contacts"),
        ({"name": "好", "contacts": "nope"}, "contacts"),
    ],
)
def test_bad_input_gets_400_with_field_errors_never_500(cast, client_for, payload, field):
    response = client_for(cast["owner"]).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "query",
    [
        "view=everything",
        "stage=nope",
        "owner=abc",
        "intent_level=12",
        "created_at__gte=yesterday",
        "department=99999",
        "page=abc",
        "stage_id=9223372036854775808",
        "created_by=9223372036854775808",
    ],
)
def test_bad_list_parameters_get_400_or_an_empty_page_never_500(cast, client_for, query):
    response = client_for(cast["owner"]).get(f"{URL}?{query}")
    assert response.status_code in {400, 404}, response.content
    assert "error" in response.json()


def test_bad_batch_bodies_get_400(cast, client_for):
    client = client_for(cast["manager"])
    for path, body in [
        ("claim/", {}),
        ("claim/", {"ids": []}),
        ("claim/", {"ids": ["a"]}),
        ("assign/", {"ids": [1]}),
        ("assign/", {"ids": [1], "to": [1, 2], "strategy": "random"}),
        ("share/", {"ids": [1], "until": "not a date"}),
        ("merge/", {"ids": [1]}),
    ]:
        response = client.post(URL + path, body, format="json")
        assert response.status_code == 400, (path, body, response.content)
        assert response.json()["error"]["fields"]


def test_a_duplicate_name_gets_409_with_who_has_it(cast, client_for):
    CustomerFactory(name="深圳市华为技术有限公司", owner=cast["colleague"])
    response = client_for(cast["owner"]).post(URL, {"name": "华为技术有限公司"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate_customer"
    assert error["duplicates"][0]["owner_name"] == cast["colleague"].display_name


def test_duplicates_endpoint_scores_candidates(cast, client_for):
    CustomerFactory(name="华为技术有限公司", mobile="13800138000")
    response = client_for(cast["owner"]).get(f"{URL}duplicates/", {"name": "华为技术", "phone": "13800138000"})
    assert response.status_code == 200
    [candidate] = response.json()
    assert candidate["score"] == 1.0 and candidate["reasons"] == ["name", "phone"]
    assert candidate["message"] == "在客户池中"
    assert client_for(cast["owner"]).get(f"{URL}duplicates/").status_code == 400


# ---------------------------------------------------------------- who sees what


def test_an_outsider_gets_404_for_a_claimed_customer_everywhere(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    client = client_for(cast["outsider"])
    for suffix in ["", "contacts/", "shares/", "history/", "relations/"]:
        assert client.get(f"{detail(customer.pk)}{suffix}").status_code == 404
    assert client.patch(detail(customer.pk), {"name": "x", "version": 1}, format="json").status_code == 404
    response = client.post(f"{URL}share/", {"ids": [customer.pk], "users": [cast["outsider"].pk]}, format="json")
    assert response.json()["failed"][0]["code"] == "not_found"
    response = client.post(f"{URL}return/", {"ids": [customer.pk]}, format="json")
    assert response.json()["failed"][0]["code"] == "not_found"
    assert customer.pk not in [c["id"] for c in client.get(URL).json()["results"]]


def test_a_read_only_sharee_sees_details_but_gets_403_on_edit(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk])
    client = client_for(cast["sharee"])
    response = client.get(detail(customer.pk))
    assert response.status_code == 200 and response.json()["access"] == "read"
    response = client.patch(detail(customer.pk), {"remarks": "x", "version": 1}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"
    response = client.post(f"{detail(customer.pk)}contacts/", {"name": "新人"}, format="json")
    assert response.status_code == 403


def test_the_pool_shows_public_info_and_claim_status_only(cast, client_for):
    CustomerFactory(name="保密客户", owner=cast["owner"], mobile="13800138000", remarks="secret")
    response = client_for(cast["outsider"]).get("/api/v1/pool/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["name"] == "保密客户" and row["claimed"] is True
    assert row["owner_name"] == cast["owner"].display_name
    assert "mobile" not in row and "remarks" not in row and "primary_contact_name" not in row
    assert set(row) == {
        "id",
        "claimed",
        "owner_name",
        *("name", "category", "industry", "province", "city", "district"),
        *("stage", "stage_code", "stage_name"),
        *("pool", "phone_masked", "mobile_masked"),  # CUS-1 pool rules: masked numbers only while unclaimed
    }
    assert row["mobile_masked"] is None


def test_public_fields_are_configurable(cast, client_for):
    CustomerFactory(name="某客户", address="中山路1号")
    client_for(cast["admin"]).patch("/api/v1/parameters/", {"public_fields": ["address"]}, format="json")
    [row] = client_for(cast["outsider"]).get("/api/v1/pool/").json()["results"]
    assert row["address"] == "中山路1号" and "name" not in row


def test_parameters_validate_public_fields_and_the_call_quota(cast, client_for):
    client = client_for(cast["admin"])
    assert client.patch("/api/v1/parameters/", {"public_fields": ["remarks"]}, format="json").status_code == 400
    assert client.patch("/api/v1/parameters/", {"call_daily_quota": -1}, format="json").status_code == 400
    response = client.patch("/api/v1/parameters/", {"call_daily_quota": 50}, format="json")
    assert response.json()["call_daily_quota"] == 50
    assert "claim_limit" not in response.json()  # issue 6: claim and holding limits are pool rules now


def test_views_mine_shared_and_all(cast, client_for):
    mine = CustomerFactory(owner=cast["sharee"])
    shared = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[shared.pk], users=[cast["sharee"].pk])
    client = client_for(cast["sharee"])

    def ids(view):
        return {c["id"] for c in client.get(URL, {"view": view}).json()["results"]}

    assert ids("mine") == {mine.pk}
    assert ids("shared") == {shared.pk}
    assert ids("all") == {mine.pk, shared.pk}


# ---------------------------------------------------------------- verbs


def test_claim_over_the_api_reports_each_id(cast, client_for):
    free = CustomerFactory()
    taken = CustomerFactory(owner=cast["colleague"])
    response = client_for(cast["owner"]).post(f"{URL}claim/", {"ids": [free.pk, taken.pk]}, format="json")
    assert response.status_code == 200
    assert response.json()["succeeded"] == [free.pk]
    assert response.json()["failed"][0]["code"] == "already_claimed"


def test_a_stale_edit_gets_409_with_the_current_record(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    client = client_for(cast["owner"])
    assert client.patch(detail(customer.pk), {"remarks": "a", "version": 1}, format="json").status_code == 200
    response = client.patch(detail(customer.pk), {"remarks": "b", "version": 1}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"]["remarks"] == "a" and error["current"]["version"] == 2


def test_edit_without_a_version_is_refused(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    response = client_for(cast["owner"]).patch(detail(customer.pk), {"remarks": "a"}, format="json")
    assert response.status_code == 400 and "version" in response.json()["error"]["fields"]


def test_share_tab_lists_shares_and_history_tab_lists_moves(cast, client_for, company):
    customer = CustomerFactory(owner=cast["owner"])
    client = client_for(cast["owner"])
    response = client.post(
        f"{URL}share/",
        {"ids": [customer.pk], "users": [cast["sharee"].pk], "departments": [company["east"].pk], "access": "write"},
        format="json",
    )
    assert response.json()["succeeded"] == [customer.pk]
    shares = client.get(f"{detail(customer.pk)}shares/").json()
    assert {(s["user_name"], s["department_name"]) for s in shares} == {
        (cast["sharee"].display_name, None),
        (None, "华东"),
    }
    history = client.get(f"{detail(customer.pk)}history/").json()
    assert history[0]["action"] == "share" and history[0]["actor_name"] == cast["owner"].display_name


def test_contacts_can_be_added_edited_and_removed(cast, client_for):
    customer = CustomerFactory(owner=cast["owner"])
    client = client_for(cast["owner"])
    response = client.post(
        f"{detail(customer.pk)}contacts/",
        {
            "name": "钱经理",
            "mobile": "13700000000",
            "social_relations": [{"relation_type": "spouse", "name": "孙女士"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    contact = response.json()
    assert contact["is_primary"] is True and contact["social_relations"][0]["name"] == "孙女士"
    url = f"{detail(customer.pk)}contacts/{contact['id']}/"
    assert client.patch(url, {"title": "总经理"}, format="json").json()["title"] == "总经理"
    assert client.delete(url).status_code == 204
    assert client.get(f"{detail(customer.pk)}contacts/").json() == []
    bad = client.post(
        f"{detail(customer.pk)}contacts/",
        {"name": "x", "social_relations": [{"relation_type": "alien", "name": "y"}]},
        format="json",
    )
    assert bad.status_code == 400


def test_relations_between_customers(cast, client_for):
    a = CustomerFactory(owner=cast["owner"])
    b = CustomerFactory(owner=cast["owner"])
    hidden = CustomerFactory(owner=cast["outsider"])
    client = client_for(cast["owner"])
    response = client.post(
        f"{detail(a.pk)}relations/", {"to_customer": b.pk, "relation_type": "partner"}, format="json"
    )
    assert response.status_code == 201
    assert client.get(f"{detail(b.pk)}relations/").json()[0]["from_customer"] == a.pk
    response = client.post(
        f"{detail(a.pk)}relations/", {"to_customer": hidden.pk, "relation_type": "partner"}, format="json"
    )
    assert response.status_code == 400
    relation = client.get(f"{detail(a.pk)}relations/").json()[0]["id"]
    assert client.delete(f"{detail(a.pk)}relations/{relation}/").status_code == 204


def test_intent_levels_come_with_their_communication_tips(cast, client_for):
    levels = client_for(cast["owner"]).get(f"{URL}intent-levels/").json()
    assert [lvl["level"] for lvl in levels] == [-1, 0, 1, 2, 3, 4]
    assert all(lvl["tips"] for lvl in levels)


def test_stages_are_listed_in_order_and_editable_by_admins(cast, client_for):
    stages = client_for(cast["owner"]).get("/api/v1/customer-stages/").json()
    assert [s["code"] for s in stages] == ["potential", "quasi_demand", "pending_deal", "deal"]
    assert client_for(cast["owner"]).post("/api/v1/customer-stages/", {"code": "x", "name": "x"}).status_code == 403
    response = client_for(cast["admin"]).post("/api/v1/customer-stages/", {"code": "lost", "name": "流失"})
    assert response.status_code == 201 and response.json()["position"] == 4


# ---------------------------------------------------------------- lists: search, filters, ordering, query count


def test_list_searches_filters_and_orders(cast, client_for):
    a = CustomerFactory(name="华为技术", owner=cast["owner"], industry="it", province="440000")
    b = CustomerFactory(name="阿里巴巴", owner=cast["owner"], industry="retail", province="330000")
    client = client_for(cast["owner"])

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["results"]]

    assert ids(q="hw") == [a.pk]
    assert ids(industry="retail") == [b.pk]
    assert ids(province="440000", q="华为") == [a.pk]
    assert ids(ordering="name") == sorted([a.pk, b.pk], key=lambda pk: Customer.objects.get(pk=pk).name)
    assert ids(ordering="-id") == [b.pk, a.pk]


@pytest.mark.parametrize("column", [c for c in __import__("shoal.customers.api", fromlist=["x"]).ORDERING_FIELDS])
def test_every_listed_column_sorts_both_ways(cast, client_for, column):
    CustomerFactory(owner=cast["owner"])
    client = client_for(cast["owner"])
    for direction in ("", "-"):
        assert client.get(URL, {"ordering": direction + column}).status_code == 200
        assert client.get("/api/v1/pool/", {"ordering": direction + column}).status_code == 200


def test_lists_issue_a_bounded_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for i in range(50):
        customer = CustomerFactory(owner=cast["owner"] if i % 2 else cast["colleague"], name=f"客户{i}")
        ContactFactory(customer=customer, is_primary=True)
    client = client_for(cast["manager"])
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"page_size": 50})
    assert len(response.json()["results"]) == 50
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/pool/", {"page_size": 50})
    assert len(response.json()["results"]) == 50
    with django_assert_max_num_queries(12):
        client.get(URL, {"page_size": 50, "view": "shared", "q": "客户"})


def test_count_is_exact_for_small_lists(cast, client_for):
    for _ in range(3):
        CustomerFactory()
    body = client_for(cast["owner"]).get("/api/v1/pool/").json()
    assert body["count"] == 3 and body["count_is_estimate"] is False


def test_the_schema_generates_without_warnings():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/customers/claim/" in schema["paths"]


def test_counts_beyond_the_cap_are_estimated_on_postgresql_and_pages_still_work(cast, client_for, monkeypatch):
    from django.db import connection

    from shoal.customers.api import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "CAP", 2)
    created = [CustomerFactory().pk for _ in range(5)]
    client = client_for(cast["outsider"])
    body = client.get("/api/v1/pool/", {"page_size": 2, "page": 2}).json()
    assert [row["id"] for row in body["results"]] == sorted(created, reverse=True)[2:4]
    if connection.vendor == "postgresql":
        assert body["count_is_estimate"] is True and body["count"] >= 3
    else:
        assert body == {**body, "count": 5, "count_is_estimate": False}


@pytest.mark.parametrize("prefetch", [2, 3, 100])
def test_search_pages_are_complete_whatever_was_prefetched(cast, client_for, monkeypatch, prefetch):
    from shoal.customers.api import SearchPaginator

    monkeypatch.setattr(SearchPaginator, "PREFETCH", prefetch)
    created = sorted((CustomerFactory(name=f"蓝鲸{i}号").pk for i in range(5)), reverse=True)
    CustomerFactory(name="别的")
    client = client_for(cast["outsider"])
    seen = []
    for page in (1, 2, 3):
        body = client.get("/api/v1/pool/", {"q": "蓝鲸", "page_size": 2, "page": page}).json()
        assert body["count"] == 5
        seen += [row["id"] for row in body["results"]]
    assert seen == created


@pytest.mark.parametrize("q", ["'\":*&|!()\\", "华为'&'hw", "%_", "a" * 300, "０１２３", "　"])
def test_quick_search_with_operator_characters_is_just_text(cast, client_for, q):
    CustomerFactory(name="华为技术", owner=cast["owner"])
    for url in (URL, "/api/v1/pool/"):
        assert client_for(cast["owner"]).get(url, {"q": q}).status_code == 200


def test_null_characters_in_filters_get_400(cast, client_for):
    response = client_for(cast["owner"]).get(URL, {"name": "a\x00b"})
    assert response.status_code == 400


def test_a_public_field_without_a_value_is_shown_as_null(cast, client_for):
    CustomerFactory(intent_level=None)
    client_for(cast["admin"]).patch("/api/v1/parameters/", {"public_fields": ["intent_level"]}, format="json")
    [row] = client_for(cast["outsider"]).get("/api/v1/pool/").json()["results"]
    assert row == {
        "id": row["id"],
        "claimed": False,
        "owner_name": None,
        "intent_level": None,
        "pool": None,
        "phone_masked": None,
        "mobile_masked": None,
    }


def test_the_pool_ignores_filters_and_sorting_on_fields_it_does_not_show(cast, client_for):
    # A filter or sort on a private field would reveal it bit by bit (issue 9, authorization matrix).
    first = CustomerFactory(owner=cast["colleague"], short_name="保密简称")
    second = CustomerFactory(owner=cast["colleague"])
    client = client_for(cast["outsider"])

    def ids(**params):
        return [row["id"] for row in client.get("/api/v1/pool/", params).json()["results"]]

    assert ids(short_name="保密") == ids() == [second.pk, first.pk]
    assert ids(ordering="claimed_at") == [second.pk, first.pk]
    client_for(cast["admin"]).patch("/api/v1/parameters/", {"public_fields": ["name", "short_name"]}, format="json")
    assert ids(short_name="保密") == [first.pk]


# ---------------------------------------------------------------- query budgets (issue 9): 50 rows, constant queries


def test_stage_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from shoal.customers.models import Stage

    Stage.objects.bulk_create(Stage(code=f"stage{i}", name=f"阶段{i}", position=10 + i) for i in range(50))
    with django_assert_max_num_queries(3):
        response = client_for(cast["owner"]).get("/api/v1/customer-stages/")
    assert len(response.json()) >= 50


def test_the_tabs_of_a_customer_run_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from shoal.customers.models import CustomerEvent, CustomerRelation, Share, SocialRelation
    from shoal.org.tests.factories import DepartmentFactory, UserFactory

    customer = CustomerFactory(owner=cast["owner"])
    for i in range(50):
        contact = ContactFactory(customer=customer, is_primary=i == 0)
        SocialRelation.objects.create(contact=contact, relation_type="friend", name=f"朋友{i}")
        other = CustomerFactory()
        CustomerRelation.objects.create(from_customer=customer, to_customer=other, relation_type="partner")
        sharee = UserFactory()
        Share.objects.create(customer=customer, user=sharee, created_by=cast["owner"])
        Share.objects.create(customer=customer, department=DepartmentFactory(), created_by=cast["owner"])
        CustomerEvent.objects.create(customer=customer, actor=sharee, action="edit")
    client = client_for(cast["owner"])
    for tab in ("contacts", "shares", "history", "relations"):
        with django_assert_max_num_queries(12):
            response = client.get(f"{URL}{customer.pk}/{tab}/")
        assert len(response.json()) >= 50, tab


# ---------------------------------------------------------------- merge with chosen values (CUS-6)


def test_merge_with_chosen_values_saves_them_and_merges_in_one_call(cast, client_for):
    keep = CustomerFactory(owner=cast["owner"], name="星河贸易", address="旧地址")
    gone = CustomerFactory(owner=cast["owner"], name="星河贸易公司", address="新地址")
    response = client_for(cast["manager"]).post(
        f"{URL}merge/",
        {"target": keep.pk, "ids": [gone.pk], "values": {"address": "新地址", "version": keep.version}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["succeeded"] == [gone.pk]
    keep.refresh_from_db()
    gone.refresh_from_db()
    assert keep.address == "新地址" and gone.merged_into_id == keep.pk


def test_a_stale_survivor_merges_nothing_and_answers_with_the_current_record(cast, client_for):
    keep = CustomerFactory(owner=cast["owner"], address="旧地址")
    gone = CustomerFactory(owner=cast["owner"])
    stale = keep.version
    client_for(cast["owner"]).patch(detail(keep.pk), {"version": stale, "remarks": "别人先改了"}, format="json")
    response = client_for(cast["manager"]).post(
        f"{URL}merge/",
        {"target": keep.pk, "ids": [gone.pk], "values": {"address": "新", "version": stale}},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assert response.json()["error"]["current"]["remarks"] == "别人先改了"
    gone.refresh_from_db()
    keep.refresh_from_db()
    assert gone.deleted_at is None and keep.address == "旧地址"


def test_when_one_merge_fails_the_chosen_values_and_the_other_merges_are_undone(cast, client_for):
    keep = CustomerFactory(owner=cast["owner"], address="旧地址")
    gone = CustomerFactory(owner=cast["owner"])
    invisible = CustomerFactory(owner=cast["outsider"])  # the sales manager does not see east
    response = client_for(cast["manager"]).post(
        f"{URL}merge/",
        {"target": keep.pk, "ids": [gone.pk, invisible.pk], "values": {"address": "新", "version": keep.version}},
        format="json",
    )
    body = response.json()
    assert body["succeeded"] == []
    assert {f["id"]: f["code"] for f in body["failed"]} == {invisible.pk: "not_found", gone.pk: "undone"}
    keep.refresh_from_db()
    gone.refresh_from_db()
    assert keep.address == "旧地址" and gone.deleted_at is None


def test_chosen_values_without_a_version_are_refused(cast, client_for):
    keep = CustomerFactory(owner=cast["owner"])
    gone = CustomerFactory(owner=cast["owner"])
    response = client_for(cast["manager"]).post(
        f"{URL}merge/", {"target": keep.pk, "ids": [gone.pk], "values": {"address": "新"}}, format="json"
    )
    assert response.status_code == 400
    assert "values" in response.json()["error"]["fields"]


# ---------------------------------------------------------------- the pool's quick search (CUS-1, CUS-7)


def test_the_pool_search_matches_public_names_and_initials_but_never_contacts_or_phones(cast, client_for):
    claimed = CustomerFactory(name="华为技术有限公司", short_name="华技", owner=cast["outsider"], mobile="13800138000")
    services.contact_create(actor=cast["outsider"], customer=claimed, data={"name": "王小明", "mobile": "13912345678"})
    client = client_for(cast["owner"])

    def found(q: str) -> set[int]:
        response = client.get("/api/v1/pool/", {"q": q})
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert found("华为") == {claimed.pk}
    assert found("hwjs") == {claimed.pk}
    # which company a phone number or a person belongs to is not public
    for private in ["13800138000", "0138", "13912345678", "王小明"]:
        assert found(private) == set(), private
    # the owner's own list still finds them all
    mine = client_for(cast["outsider"]).get(URL, {"q": "王小明"}).json()["results"]
    assert [row["id"] for row in mine] == [claimed.pk]


def test_the_pool_search_follows_the_public_fields(cast, client_for):
    customer = CustomerFactory(name="蓝鲸科技有限公司", short_name="深海")
    services.customer_search_refresh([customer.pk])
    client = client_for(cast["owner"])
    assert client.get("/api/v1/pool/", {"q": "深海"}).json()["count"] == 0  # short name is not public by default
    admin = client_for(cast["admin"])
    assert (
        admin.patch("/api/v1/parameters/", {"public_fields": ["name", "short_name"]}, format="json").status_code == 200
    )
    assert client.get("/api/v1/pool/", {"q": "深海"}).json()["count"] == 1
