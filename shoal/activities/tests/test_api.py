from datetime import timedelta

import pytest
from django.utils import timezone

from shoal.activities.models import Channel, ContactPlan, Interaction, ScheduleItem, Visit
from shoal.customers.models import Customer
from shoal.customers.tests.factories import CustomerFactory
from shoal.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INTERACTIONS = "/api/v1/interactions/"
PLANS = "/api/v1/contact-plans/"
SCHEDULE = "/api/v1/schedule/"
VISITS = "/api/v1/visits/"


def soon(**delta) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


def add_interaction(client, customer, **data):
    return client.post(
        INTERACTIONS, {"customer": customer.pk, "channel": "phone", "content": "介绍方案", **data}, format="json"
    )


# ---------------------------------------------------------------- interactions (ACT-1)


def test_the_owner_logs_an_interaction_with_every_field(cast, client_for, customer, contact):
    response = add_interaction(
        client_for(cast["owner"]),
        customer,
        contact=contact.pk,
        channel="wechat",
        needs="两台设备",
        quoted_price="12000.50",
        concerns="交期",
        next_step="周五前发合同",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["customer_name"] == "蓝海贸易有限公司" and body["contact_name"] == "赵经理"
    assert body["quoted_price"] == "12000.50" and body["channel"] == "wechat"
    assert body["user"] == cast["owner"].pk and body["department_name"] == "销售一组"
    assert Customer.objects.get(pk=customer.pk).last_followed_at is not None


def test_a_read_only_sharee_reads_the_records_but_may_not_add(cast, client_for, customer):
    add_interaction(client_for(cast["owner"]), customer)
    client = client_for(cast["sharee"])
    listed = client.get(INTERACTIONS, {"customer": customer.pk}).json()
    assert listed["count"] == 1
    refused = add_interaction(client, customer)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only"


def test_an_outsider_neither_sees_nor_adds_records_of_an_invisible_customer(cast, client_for, customer):
    record = add_interaction(client_for(cast["owner"]), customer).json()
    client = client_for(cast["outsider"])
    assert client.get(f"{INTERACTIONS}{record['id']}/").status_code == 404
    assert client.get(INTERACTIONS, {"customer": customer.pk}).json()["count"] == 0
    for url, body in [
        (INTERACTIONS, {"customer": customer.pk, "channel": "phone", "content": "x"}),
        (PLANS, {"customer": customer.pk, "planned_at": soon(hours=1), "purpose": "x"}),
        (VISITS, {"customer": customer.pk, "outcome": "x"}),
    ]:
        response = client.post(url, body, format="json")
        assert response.status_code == 404, (url, response.content)
        assert response.json()["error"]["code"] == "not_found"
    assert Interaction.objects.count() == 1


def test_the_manager_of_the_owner_logs_on_their_customer(cast, client_for, customer):
    assert add_interaction(client_for(cast["manager"]), customer).status_code == 201


def test_the_all_records_list_filters_sorts_and_pages(cast, client_for, customer, company):
    other = CustomerFactory(name="白云科技", owner=cast["colleague"])
    owner, colleague = client_for(cast["owner"]), client_for(cast["colleague"])
    add_interaction(owner, customer, channel="visit", occurred_at=soon(days=-3))
    add_interaction(owner, customer, channel="phone")
    add_interaction(colleague, other, channel="email")
    client = client_for(cast["manager"])
    everything = client.get(INTERACTIONS).json()
    assert everything["count"] == 3 and everything["count_is_estimate"] is False
    assert client.get(INTERACTIONS, {"channel": "email"}).json()["count"] == 1
    assert client.get(INTERACTIONS, {"user": cast["owner"].pk}).json()["count"] == 2
    assert client.get(INTERACTIONS, {"department": company["team_a"].pk}).json()["count"] == 3
    assert client.get(INTERACTIONS, {"department": company["east"].pk}).json()["count"] == 0
    assert client.get(INTERACTIONS, {"occurred_at__gte": soon(days=-1)}).json()["count"] == 2
    names = [r["customer_name"] for r in client.get(INTERACTIONS, {"ordering": "customer_name"}).json()["results"]]
    assert names == sorted(names)
    page = client.get(INTERACTIONS, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 1
    # the owner's rep colleague sees only what is visible to them
    assert owner.get(INTERACTIONS).json()["count"] == 2


@pytest.mark.parametrize(
    "query", ["channel=pigeon", "user=abc", "department=99999", "occurred_at__gte=yesterday", "ordering=nope"]
)
def test_bad_list_parameters_get_400_never_500(cast, client_for, query):
    response = client_for(cast["owner"]).get(f"{INTERACTIONS}?{query}")
    assert response.status_code in {200, 400}, response.content
    if query != "ordering=nope":
        assert response.status_code == 400


def test_an_edit_needs_the_version_and_a_stale_one_gets_409_with_the_record(cast, client_for, customer):
    client = client_for(cast["owner"])
    record = add_interaction(client, customer).json()
    url = f"{INTERACTIONS}{record['id']}/"
    assert client.patch(url, {"needs": "x"}, format="json").status_code == 400
    assert client.patch(url, {"needs": "三台", "version": 1}, format="json").json()["needs"] == "三台"
    stale = client.patch(url, {"needs": "四台", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["current"]["needs"] == "三台"
    assert client_for(cast["manager"]).patch(url, {"needs": "y", "version": 2}, format="json").status_code == 403


# ---------------------------------------------------------------- contact plans (ACT-2)


def test_my_plans_by_today_overdue_and_coming(cast, client_for, customer):
    client = client_for(cast["owner"])
    now = timezone.localtime()
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    times = {
        "overdue": start_of_day - timedelta(hours=5),
        "coming": start_of_day + timedelta(days=2),
        "today": now + timedelta(minutes=1) if now.hour < 23 else now - timedelta(minutes=1),
    }
    for purpose, at in times.items():
        response = client.post(
            PLANS, {"customer": customer.pk, "planned_at": at.isoformat(), "purpose": purpose}, format="json"
        )
        assert response.status_code == 201, response.content
    client_for(cast["manager"]).post(
        PLANS, {"customer": customer.pk, "planned_at": soon(days=3), "purpose": "经理的"}, format="json"
    )
    purposes = lambda due: {r["purpose"] for r in client.get(PLANS, {"due": due, "mine": "true"}).json()["results"]}  # noqa: E731
    assert purposes("today") == {"today"}
    assert "overdue" in purposes("overdue")
    assert purposes("coming") == {"coming"}
    counts = client.get(f"{PLANS}counts/").json()
    assert counts["today"] == 1 and counts["coming"] == 1 and counts["overdue"] >= 1
    assert client.get(PLANS, {"due": "someday"}).status_code == 400


def test_marking_a_plan_done_turns_it_into_an_interaction(cast, client_for, customer, contact):
    client = client_for(cast["owner"])
    plan = client.post(
        PLANS,
        {"customer": customer.pk, "contact": contact.pk, "planned_at": soon(minutes=5), "purpose": "确认报价"},
        format="json",
    ).json()
    done = client.post(f"{PLANS}{plan['id']}/complete/", {"channel": "phone", "content": "客户同意"}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["contact"] == contact.pk
    again = client.post(f"{PLANS}{plan['id']}/complete/", {"channel": "phone", "content": "再来"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "plan_closed"
    assert client.get(f"{PLANS}{plan['id']}/").json()["status"] == "done"
    assert client.get(PLANS, {"due": "finished"}).json()["count"] == 1


def test_someone_elses_plan_may_be_read_but_not_closed(cast, client_for, customer):
    plan = (
        client_for(cast["owner"])
        .post(PLANS, {"customer": customer.pk, "planned_at": soon(hours=1), "purpose": "回访"}, format="json")
        .json()
    )
    manager = client_for(cast["manager"])
    assert manager.get(f"{PLANS}{plan['id']}/").status_code == 200
    refused = manager.post(f"{PLANS}{plan['id']}/cancel/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_plan_owner"
    assert client_for(cast["outsider"]).post(f"{PLANS}{plan['id']}/cancel/").status_code == 404


# ---------------------------------------------------------------- schedule (ACT-3, ORG-7)


def test_a_manager_sees_a_subordinates_overdue_item_in_red_and_approves_it(cast, client_for):
    rep = client_for(cast["owner"])
    item = rep.post(
        SCHEDULE,
        {"title": "整理报价单", "start_at": soon(hours=-3), "end_at": soon(hours=-2), "weight": 3},
        format="json",
    ).json()
    assert item["overdue"] is True
    manager = client_for(cast["manager"])
    listed = manager.get(SCHEDULE, {"view": "subordinates", "user": cast["owner"].pk}).json()
    assert [r["id"] for r in listed["results"]] == [item["id"]] and listed["results"][0]["overdue"] is True
    assert manager.get(SCHEDULE).json()["count"] == 0  # view=mine by default
    people = {p["id"] for p in manager.get(f"{SCHEDULE}people/").json()}
    assert {cast["owner"].pk, cast["colleague"].pk, cast["manager"].pk} <= people
    approved = manager.post(f"{SCHEDULE}{item['id']}/comments/", {"kind": "approval", "body": "同意"}, format="json")
    assert approved.status_code == 201
    detail = rep.get(f"{SCHEDULE}{item['id']}/").json()
    assert detail["approved_by"] == cast["manager"].pk
    assert [c["kind"] for c in rep.get(f"{SCHEDULE}{item['id']}/comments/").json()] == ["approval"]


def test_a_colleague_does_not_see_a_peers_schedule(cast, client_for):
    item = client_for(cast["owner"]).post(SCHEDULE, {"title": "私事", "start_at": soon(hours=1)}, format="json").json()
    colleague = client_for(cast["colleague"])
    assert colleague.get(f"{SCHEDULE}{item['id']}/").status_code == 404
    assert colleague.get(SCHEDULE, {"view": "all"}).json()["count"] == 0


def test_the_owner_ticks_an_item_done_and_it_leaves_the_red(cast, client_for):
    client = client_for(cast["owner"])
    item = client.post(SCHEDULE, {"title": "回电", "start_at": soon(hours=-2)}, format="json").json()
    assert client.get(SCHEDULE, {"overdue": "true"}).json()["count"] == 1
    done = client.patch(f"{SCHEDULE}{item['id']}/", {"done": True, "version": item["version"]}, format="json").json()
    assert done["done"] is True and done["overdue"] is False
    assert client.get(SCHEDULE, {"done": "true"}).json()["count"] == 1
    assert client.get(SCHEDULE, {"overdue": "true"}).json()["count"] == 0
    bad = client.post(SCHEDULE, {"title": "x", "start_at": soon(hours=2), "end_at": soon(hours=1)}, format="json")
    assert bad.status_code == 400 and "end_at" in bad.json()["error"]["fields"]


def test_the_calendar_asks_for_the_items_overlapping_a_range(cast, client_for):
    client = client_for(cast["owner"])
    client.post(SCHEDULE, {"title": "跨天", "start_at": soon(days=-1), "end_at": soon(days=1)}, format="json")
    client.post(SCHEDULE, {"title": "下周", "start_at": soon(days=7)}, format="json")
    titles = {
        r["title"]
        for r in client.get(SCHEDULE, {"start_at__lt": soon(hours=1), "end_at__gte": soon(hours=-1)}).json()["results"]
    }
    assert titles == {"跨天"}


# ---------------------------------------------------------------- visits (ACT-5)


def test_a_visit_from_a_plan_with_companions_and_the_intent_after(cast, client_for, customer, contact):
    client = client_for(cast["owner"])
    plan = client.post(
        PLANS,
        {"customer": customer.pk, "planned_at": soon(hours=1), "purpose": "上门演示", "channel": "visit"},
        format="json",
    ).json()
    response = client.post(
        VISITS,
        {
            "customer": customer.pk,
            "contacts": [contact.pk],
            "companions": [cast["colleague"].pk],
            "place": "浦东新区张江路1号",
            "purpose": "演示",
            "outcome": "客户认可，约下周签约",
            "intent_level_after": 3,
            "next_step": "准备合同",
            "plan": plan["id"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    visit = response.json()
    assert visit["contacts"] == [{"id": contact.pk, "name": "赵经理"}]
    assert visit["companions"][0]["id"] == cast["colleague"].pk
    assert client.get(f"/api/v1/customers/{customer.pk}/").json()["intent_level"] == 3
    assert client.get(f"{PLANS}{plan['id']}/").json()["status"] == "done"
    record = client.get(INTERACTIONS, {"customer": customer.pk}).json()["results"][0]
    assert record["channel"] == "visit" and record["id"] == visit["interaction"]
    assert client.get(VISITS, {"intent_level_after": 3}).json()["count"] == 1
    assert client_for(cast["outsider"]).get(f"{VISITS}{visit['id']}/").status_code == 404


# ---------------------------------------------------------------- query budgets (50 rows, constant queries)


@pytest.fixture
def busy(cast, customer):
    """50 records of every kind on the owner's customer."""
    now = timezone.now()
    owner = cast["owner"]
    contact = customer.contacts.get()
    for i in range(50):
        Interaction.objects.create(
            customer=customer,
            user=owner,
            department=owner.department,
            contact=contact,
            channel=Channel.PHONE,
            occurred_at=now - timedelta(hours=i),
            content=f"第{i}次",
        )
        ContactPlan.objects.create(user=owner, customer=customer, contact=contact, planned_at=now, purpose=f"计划{i}")
        ScheduleItem.objects.create(
            user=owner, title=f"日程{i}", start_at=now, end_at=now, customer=customer, approved_by=cast["manager"]
        )
        visit = Visit.objects.create(user=owner, customer=customer, visited_at=now, outcome=f"出访{i}")
        visit.contacts.add(contact)
        visit.companions.add(cast["colleague"], UserFactory())
    return customer


@pytest.mark.parametrize(
    ("url", "params", "budget"),
    [
        (INTERACTIONS, {}, 8),
        (INTERACTIONS, {"customer": 0, "channel": "phone", "ordering": "-customer_name"}, 8),
        (PLANS, {"mine": "true"}, 8),
        (SCHEDULE, {}, 6),
        (VISITS, {}, 10),
    ],
)
def test_every_list_runs_a_constant_number_of_queries(
    cast, client_for, busy, url, params, budget, django_assert_max_num_queries
):
    params = {**params, "page_size": 60}
    if "customer" in params:
        params["customer"] = busy.pk
    client = client_for(cast["owner"])
    with django_assert_max_num_queries(budget):
        response = client.get(url, params)
    assert response.status_code == 200 and len(response.json()["results"]) == 50


def test_the_managers_list_is_as_cheap(cast, client_for, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client_for(cast["manager"]).get(SCHEDULE, {"view": "subordinates", "page_size": 60})
    assert len(response.json()["results"]) == 50


def test_the_comments_of_an_item_and_the_people_list_run_a_constant_number_of_queries(
    cast, client_for, company, django_assert_max_num_queries
):
    from shoal.activities.models import ScheduleComment

    item = ScheduleItem.objects.create(user=cast["owner"], title="周报", start_at=timezone.now(), end_at=timezone.now())
    for i in range(50):
        author = UserFactory(department=company["team_a"])
        ScheduleComment.objects.create(item=item, author=author, kind="comment", body=f"第{i}条")
        UserFactory(department=company["team_a"], superior=cast["manager"])
    manager = client_for(cast["manager"])
    with django_assert_max_num_queries(8):
        comments = manager.get(f"{SCHEDULE}{item.pk}/comments/")
    assert len(comments.json()) == 50
    with django_assert_max_num_queries(6):
        people = manager.get(f"{SCHEDULE}people/")
    assert len(people.json()) >= 50 and people.json()[0]["is_self"] is True
