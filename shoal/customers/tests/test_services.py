from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shoal.core.errors import Conflict, Forbidden, InvalidInput, StaleVersion
from shoal.customers import selectors, services
from shoal.customers.models import Contact, Customer, CustomerEvent, CustomerRelation, Share, Stage
from shoal.customers.tests.factories import ContactFactory, CustomerFactory
from shoal.org.tests.factories import UserFactory, role
from shoal.system.models import Parameter

pytestmark = pytest.mark.django_db


def set_param(key, value):
    Parameter.objects.update_or_create(key=key, defaults={"value": value})


def visible_ids(user, view="all"):
    return set(selectors.customer_list(user=user, view=view).values_list("pk", flat=True))


def actions(customer):
    return list(CustomerEvent.objects.filter(customer=customer).order_by("id").values_list("action", flat=True))


# ---------------------------------------------------------------- create, claim, return (CUS-1, CUS-2)


def test_a_new_customer_lands_unclaimed_in_the_pool_with_a_history_row(cast):
    customer = services.customer_create(actor=cast["owner"], data={"name": "星光科技有限公司"})
    assert customer.owner_id is None
    assert customer.source == "system"
    assert customer.stage.code == "potential"
    assert actions(customer) == ["create"]


def test_create_and_claim_makes_the_customer_mine(cast):
    customer = services.customer_create(actor=cast["owner"], data={"name": "星光科技"}, claim=True)
    assert customer.owner == cast["owner"]
    assert actions(customer) == ["create", "claim"]


def test_the_first_contact_becomes_primary_and_is_listed_on_the_customer(cast):
    customer = services.customer_create(
        actor=cast["owner"],
        data={"name": "星光科技"},
        contacts=[{"name": "王经理", "mobile": "13912345678"}, {"name": "李工"}],
    )
    assert list(customer.contacts.values_list("name", "is_primary")) == [("王经理", True), ("李工", False)]
    assert customer.primary_contact_name == "王经理"
    assert customer.primary_contact_mobile == "13912345678"


def test_only_one_primary_contact_is_allowed_by_the_database(cast):
    from django.db import IntegrityError, transaction

    customer = CustomerFactory()
    ContactFactory(customer=customer, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(customer=customer, is_primary=True)


def test_making_another_contact_primary_demotes_the_old_one(cast):
    customer = CustomerFactory(owner=cast["owner"])
    first = services.contact_create(actor=cast["owner"], customer=customer, data={"name": "甲"})
    second = services.contact_create(actor=cast["owner"], customer=customer, data={"name": "乙", "is_primary": True})
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    customer.refresh_from_db()
    assert customer.primary_contact_name == "乙"


def test_claiming_takes_only_unclaimed_customers(cast):
    free = CustomerFactory()
    taken = CustomerFactory(owner=cast["colleague"])
    result = services.customer_claim(actor=cast["owner"], ids=[free.pk, taken.pk, 999999])
    assert result.succeeded == [free.pk]
    assert [(f["id"], f["code"]) for f in result.failed] == [(taken.pk, "already_claimed"), (999999, "not_found")]
    free.refresh_from_db()
    assert free.owner == cast["owner"]
    assert actions(free) == ["claim"]


def test_the_pools_holding_limit_stops_a_rep_at_the_limit(cast):
    from shoal.pools.tests.factories import set_rules

    set_rules(holding=True, holding_limit=2)
    customers = [CustomerFactory() for _ in range(3)]
    result = services.customer_claim(actor=cast["owner"], ids=[c.pk for c in customers])
    assert len(result.succeeded) == 2
    assert result.failed[0]["code"] == "holding_limit_reached"


def test_a_deleted_customer_cannot_be_claimed(cast):
    customer = CustomerFactory(deleted_at=timezone.now())
    result = services.customer_claim(actor=cast["owner"], ids=[customer.pk])
    assert result.failed[0]["code"] == "not_found"


def test_the_owner_returns_customers_to_the_pool(cast):
    customer = CustomerFactory(owner=cast["owner"])
    result = services.customer_return(actor=cast["owner"], ids=[customer.pk])
    assert result.succeeded == [customer.pk]
    customer.refresh_from_db()
    assert customer.owner_id is None and customer.claimed_at is None
    assert actions(customer) == ["return"]


def test_a_sharee_cannot_return_someone_elses_customer(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk])
    result = services.customer_return(actor=cast["sharee"], ids=[customer.pk])
    assert result.failed[0]["code"] == "not_owner"
    result = services.customer_return(actor=cast["outsider"], ids=[customer.pk])
    assert result.failed[0]["code"] == "not_found"


# ---------------------------------------------------------------- recall, delete, restore


def test_a_manager_recalls_claimed_customers_but_not_unclaimed_ones(cast):
    claimed = CustomerFactory(owner=cast["owner"])
    free = CustomerFactory()
    result = services.customer_recall(actor=cast["manager"], ids=[claimed.pk, free.pk])
    assert result.succeeded == [claimed.pk]
    assert result.failed[0]["code"] == "not_claimed"
    claimed.refresh_from_db()
    assert claimed.owner_id is None
    assert actions(claimed) == ["recall"]


def test_a_rep_may_not_recall(cast):
    customer = CustomerFactory(owner=cast["colleague"])
    with pytest.raises(Forbidden):
        services.customer_recall(actor=cast["owner"], ids=[customer.pk])


def test_a_manager_cannot_recall_outside_their_scope(cast):
    customer = CustomerFactory(owner=cast["outsider"])
    result = services.customer_recall(actor=cast["manager"], ids=[customer.pk])
    assert result.failed[0]["code"] == "not_found"


def test_deleting_a_claimed_customer_is_refused_and_unclaimed_ones_are_soft_deleted(cast):
    claimed = CustomerFactory(owner=cast["owner"])
    free = CustomerFactory()
    result = services.customer_delete(actor=cast["manager"], ids=[claimed.pk, free.pk])
    assert result.succeeded == [free.pk]
    assert result.failed == [{"id": claimed.pk, "code": "customer_claimed", "message": result.failed[0]["message"]}]
    free.refresh_from_db()
    assert free.deleted_at is not None
    assert Customer.objects.filter(pk=free.pk).exists()  # CUS-15: nothing is lost


def test_an_administrator_restores_a_deleted_customer(cast):
    customer = CustomerFactory()
    services.customer_delete(actor=cast["admin"], ids=[customer.pk])
    result = services.customer_restore(actor=cast["admin"], ids=[customer.pk])
    assert result.succeeded == [customer.pk]
    customer.refresh_from_db()
    assert customer.deleted_at is None
    assert actions(customer) == ["delete", "restore"]


def test_a_rep_may_not_delete(cast):
    with pytest.raises(Forbidden):
        services.customer_delete(actor=cast["owner"], ids=[CustomerFactory().pk])


# ---------------------------------------------------------------- assign (CUS-4)


def test_even_assignment_spreads_counts_within_one(cast):
    reps = [cast["owner"], cast["colleague"], cast["sharee"]]
    customers = [CustomerFactory() for _ in range(10)]
    result = services.customer_assign(
        actor=cast["manager"], ids=[c.pk for c in customers], to=[r.pk for r in reps], strategy="even"
    )
    assert len(result.succeeded) == 10
    counts = [Customer.objects.filter(owner=r).count() for r in reps]
    assert sum(counts) == 10 and max(counts) - min(counts) <= 1
    assert set(actions(customers[0])) == {"assign"}


def test_assigning_to_several_people_needs_the_even_strategy(cast):
    with pytest.raises(InvalidInput):
        services.customer_assign(
            actor=cast["manager"], ids=[CustomerFactory().pk], to=[cast["owner"].pk, cast["colleague"].pk]
        )


def test_assigning_outside_the_actors_scope_or_to_inactive_users_is_refused(cast):
    customer = CustomerFactory()
    with pytest.raises(InvalidInput):
        services.customer_assign(actor=cast["manager"], ids=[customer.pk], to=[cast["outsider"].pk])
    cast["colleague"].is_active = False
    cast["colleague"].save()
    with pytest.raises(InvalidInput):
        services.customer_assign(actor=cast["manager"], ids=[customer.pk], to=[cast["colleague"].pk])


# ---------------------------------------------------------------- visibility


def test_a_rep_sees_own_customers_and_not_a_colleagues(cast):
    mine = CustomerFactory(owner=cast["owner"])
    theirs = CustomerFactory(owner=cast["colleague"])
    assert mine.pk in visible_ids(cast["owner"], "mine")
    assert theirs.pk not in visible_ids(cast["owner"])


def test_a_sharee_sees_a_shared_customer_until_unshared(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk])
    assert customer.pk in visible_ids(cast["sharee"], "shared")
    assert actions(customer) == ["share"]
    services.customer_unshare(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk])
    assert customer.pk not in visible_ids(cast["sharee"])
    assert actions(customer) == ["share", "unshare"]


def test_a_department_share_reaches_everyone_in_that_department(cast, company):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[customer.pk], departments=[company["team_b"].pk])
    assert customer.pk in visible_ids(cast["sharee"])
    assert customer.pk not in visible_ids(cast["outsider"])


def test_an_expired_share_stops_working_by_itself(cast):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], until=timezone.localdate() - timedelta(days=1))
    assert customer.pk not in visible_ids(cast["sharee"])


def test_a_read_only_sharee_cannot_edit_base_info_but_a_read_write_one_can(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk])
    with pytest.raises(Forbidden):
        services.customer_update(
            actor=cast["sharee"], customer=customer, version=customer.version, data={"remarks": "x"}
        )
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk], access="write")
    customer.refresh_from_db()
    services.customer_update(actor=cast["sharee"], customer=customer, version=customer.version, data={"remarks": "x"})


def test_a_sharee_never_re_shares_even_with_write_access(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk], access="write")
    result = services.customer_share(actor=cast["sharee"], ids=[customer.pk], users=[cast["colleague"].pk])
    assert result.succeeded == [] and [f["code"] for f in result.failed] == ["not_owner"]
    result = services.customer_unshare(actor=cast["sharee"], ids=[customer.pk], users=[cast["sharee"].pk])
    assert [f["code"] for f in result.failed] == ["not_owner"]
    assert not selectors.customer_may_share(user=cast["sharee"], customer=customer)
    assert selectors.customer_may_share(user=cast["owner"], customer=customer)
    assert selectors.customer_may_share(user=cast["manager"], customer=customer)  # the owner's manager
    assert not selectors.customer_may_share(user=cast["colleague"], customer=customer)


def test_a_superior_sees_subordinates_customers_only_with_forced_sharing_on(cast, company):
    lead = UserFactory(username="lead", role=role("sales_rep"), department=company["team_a"])
    cast["owner"].superior = lead
    cast["owner"].save()
    customer = CustomerFactory(owner=cast["owner"])
    set_param("forced_hierarchy_sharing", True)
    assert customer.pk in visible_ids(lead, "shared")
    set_param("forced_hierarchy_sharing", False)
    assert customer.pk not in visible_ids(lead)
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[lead.pk])
    assert customer.pk in visible_ids(lead, "shared")


def test_a_manager_sees_the_department_tree_and_an_outsider_sees_nothing(cast):
    customer = CustomerFactory(owner=cast["owner"])
    set_param("forced_hierarchy_sharing", False)
    assert customer.pk in visible_ids(cast["manager"])
    assert customer.pk not in visible_ids(cast["outsider"])
    assert customer.pk in visible_ids(cast["admin"])


def test_the_pool_lists_every_customer_claimed_or_not(cast):
    claimed = CustomerFactory(owner=cast["owner"])
    free = CustomerFactory()
    pool = set(selectors.customer_pool(user=cast["outsider"]).values_list("pk", flat=True))
    assert {claimed.pk, free.pk} <= pool


# ---------------------------------------------------------------- edit


def test_a_stale_edit_is_refused(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_update(actor=cast["owner"], customer=customer, version=1, data={"remarks": "first"})
    with pytest.raises(StaleVersion):
        services.customer_update(actor=cast["owner"], customer=customer, version=1, data={"remarks": "second"})


def test_every_field_change_is_kept_in_history(cast):
    customer = CustomerFactory(owner=cast["owner"], name="旧名称")
    services.customer_update(
        actor=cast["owner"], customer=customer, version=1, data={"name": "新名称", "industry": "it"}, reason="改名"
    )
    event = CustomerEvent.objects.get(customer=customer, action="edit")
    assert event.changes == {"name": ["旧名称", "新名称"], "industry": ["", "it"]}
    assert event.reason == "改名"
    assert event.actor == cast["owner"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "  "),
        ("mobile", "12345"),
        ("phone", "abc"),
        ("credit_code", "91350100M000100Y42"),
        ("source", "nowhere"),
        ("industry", "space"),
        ("intent_level", 7),
    ],
)
def test_bad_fields_are_refused_with_the_field_named(cast, field, value):
    with pytest.raises(InvalidInput) as error:
        services.customer_create(actor=cast["owner"], data={"name": "好名字", field: value})
    assert field in error.value.fields


def test_a_valid_credit_code_is_accepted_and_must_be_unique(cast):
    services.customer_create(actor=cast["owner"], data={"name": "甲公司", "credit_code": "91350100M000100Y43"})
    with pytest.raises(InvalidInput) as error:
        services.customer_create(actor=cast["owner"], data={"name": "乙公司", "credit_code": "91350100M000100Y43"})
    assert "credit_code" in error.value.fields


# ---------------------------------------------------------------- promote (CUS-8)


def test_promote_moves_to_the_next_stage_and_never_backwards(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_promote(actor=cast["owner"], ids=[customer.pk])
    customer.refresh_from_db()
    assert customer.stage.code == "quasi_demand"
    first = Stage.objects.get(code="potential")
    result = services.customer_promote(actor=cast["owner"], ids=[customer.pk], stage=first)
    assert result.failed[0]["code"] == "not_later_stage"
    last = Stage.objects.get(code="deal")
    services.customer_promote(actor=cast["owner"], ids=[customer.pk], stage=last)
    result = services.customer_promote(actor=cast["owner"], ids=[customer.pk])
    assert result.failed[0]["code"] == "last_stage"
    assert actions(customer) == ["promote", "promote"]


# ---------------------------------------------------------------- duplicates and merge (CUS-6)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("深圳市华为技术有限公司", "华为技术（深圳）有限公司"),
        ("ＡＢＣ贸易集团股份有限公司", "abc贸易"),
        ("广东省广州市星河贸易有限责任公司", "星河贸易公司"),
    ],
)
def test_name_keys_ignore_legal_forms_brackets_places_and_width(a, b):
    assert selectors.name_key(a) == selectors.name_key(b)


def test_duplicates_are_found_by_similar_name_and_by_phone(cast):
    same = CustomerFactory(name="深圳市华为技术有限公司", owner=cast["owner"])
    similar = CustomerFactory(name="华为技术服务有限公司")
    by_phone = CustomerFactory(name="别的公司", mobile="13800138000")
    found = {
        d["id"]: d
        for d in selectors.customer_duplicates(user=cast["owner"], name="华为技术有限公司", phones=["138 0013 8000"])
    }
    assert found[same.pk]["exact"] and found[same.pk]["score"] == 1.0
    assert similar.pk in found and found[similar.pk]["score"] < 1.0
    assert found[by_phone.pk]["reasons"] == ["phone"]


def test_a_duplicate_the_user_may_not_see_is_reported_without_details(cast):
    CustomerFactory(name="华为技术有限公司", owner=cast["colleague"], mobile="13800138000")
    CustomerFactory(name="中兴通讯有限公司")
    [hidden] = selectors.customer_duplicates(user=cast["owner"], name="华为技术")
    assert hidden["visible"] is False
    assert hidden["owner_name"] == cast["colleague"].display_name
    assert "销售一组" in hidden["message"]
    assert "mobile" not in hidden and "phone" not in hidden
    [free] = selectors.customer_duplicates(user=cast["owner"], name="中兴通讯")
    assert free["claimed"] is False


def test_an_exact_duplicate_is_refused_unless_a_manager_forces_it(cast):
    CustomerFactory(name="华为技术有限公司")
    with pytest.raises(Conflict) as error:
        services.customer_create(actor=cast["owner"], data={"name": "华为技术"})
    assert error.value.code == "duplicate_customer"
    with pytest.raises(Forbidden):
        services.customer_create(actor=cast["owner"], data={"name": "华为技术"}, force=True)
    forced = services.customer_create(actor=cast["manager"], data={"name": "华为技术"}, force=True)
    assert forced.pk


def test_merge_keeps_every_contact_share_relation_and_history_row_of_both(cast):
    keep = CustomerFactory(owner=cast["owner"], name="星河贸易")
    gone = CustomerFactory(owner=cast["owner"], name="星河贸易公司", website="https://xh.example")
    other = CustomerFactory(owner=cast["owner"])
    services.contact_create(actor=cast["owner"], customer=keep, data={"name": "甲"})
    services.contact_create(actor=cast["owner"], customer=gone, data={"name": "乙"})
    services.customer_share(actor=cast["owner"], ids=[gone.pk], users=[cast["sharee"].pk])
    services.relation_create(actor=cast["owner"], customer=gone, other=other, relation_type="partner")
    history_before = CustomerEvent.objects.filter(customer__in=[keep, gone]).count()

    result = services.customer_merge(actor=cast["manager"], target=keep.pk, ids=[gone.pk])

    assert result.succeeded == [gone.pk]
    keep.refresh_from_db()
    gone.refresh_from_db()
    assert sorted(keep.contacts.values_list("name", flat=True)) == ["乙", "甲"]
    assert keep.contacts.filter(is_primary=True).count() == 1
    assert keep.shares.filter(user=cast["sharee"]).exists()
    assert CustomerRelation.objects.filter(from_customer=keep, to_customer=other).exists()
    assert keep.website == "https://xh.example"
    assert CustomerEvent.objects.filter(customer=keep).count() == history_before + 1
    assert gone.deleted_at is not None and gone.merged_into_id == keep.pk
    assert Contact.objects.filter(customer=gone).count() == 0


# ---------------------------------------------------------------- search (CUS-7)


@pytest.mark.parametrize("q", ["华为", "hw", "hwjs", "0138", "13800138000", "王小", "技术 0138", "ＨＷ"])
def test_quick_search_finds_by_name_initials_phone_fragment_and_contact(cast, q):
    customer = CustomerFactory(name="华为技术有限公司", owner=cast["owner"], mobile="13800138000")
    services.contact_create(actor=cast["owner"], customer=customer, data={"name": "王小明"})
    CustomerFactory(name="中兴通讯", owner=cast["owner"], mobile="13900000000")
    found = set(selectors.customer_list(user=cast["owner"], filters={"q": q}).values_list("pk", flat=True))
    assert found == {customer.pk}


def test_quick_search_confirms_candidates_so_scattered_bigrams_do_not_match(cast):
    CustomerFactory(name="华为 为技 技术", owner=cast["owner"])
    assert not selectors.customer_list(user=cast["owner"], filters={"q": "华为技术"}).exists()


def test_search_follows_renames(cast):
    customer = CustomerFactory(name="旧名字", owner=cast["owner"])
    services.customer_update(actor=cast["owner"], customer=customer, version=1, data={"name": "蓝天电子"})
    assert selectors.customer_list(user=cast["owner"], filters={"q": "蓝天"}).get() == customer
    assert not selectors.customer_list(user=cast["owner"], filters={"q": "旧名"}).exists()


# ---------------------------------------------------------------- classification (CUS-9)


def test_a_customer_is_new_in_the_month_its_follow_ups_began_and_old_afterwards(cast):
    customer = CustomerFactory(owner=cast["owner"])
    assert selectors.classification_of(customer) == "new"
    now = timezone.now()
    services.customer_follow_up_record(actor=cast["owner"], customer=customer, at=now - timedelta(days=70))
    customer.refresh_from_db()
    services.customer_follow_up_record(actor=cast["owner"], customer=customer, at=now - timedelta(days=45))
    customer.refresh_from_db()
    assert selectors.classification_of(customer, now) == "old"
    services.customer_follow_up_record(actor=cast["owner"], customer=customer, at=now)
    customer.refresh_from_db()
    assert selectors.classification_of(customer, now) == "new"  # a gap of more than 30 days starts anew


@given(text=st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=30))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_text_searches_safely_and_a_name_always_finds_itself(cast, text):
    # Quotes, colons, &|! and backslashes can never reach tsquery/FTS5 syntax: only runs of CJK,
    # latin letters and digits become lexemes.
    list(selectors.customer_list(user=cast["owner"], filters={"q": text}).values_list("pk", flat=True))
    name = f"测{text}试"
    customer = CustomerFactory(name=name, owner=cast["owner"])
    found = selectors.customer_list(user=cast["owner"], filters={"q": name}).values_list("pk", flat=True)
    assert customer.pk in set(found)


def test_the_owner_tally_follows_every_ownership_change_on_postgresql(cast):
    from django.db import connection

    from shoal.customers.models import OwnerTally

    def tally(user):
        if connection.vendor != "postgresql":
            return Customer.objects.filter(owner=user, deleted_at__isnull=True).count()
        return OwnerTally.objects.filter(user=user).values_list("owned", flat=True).first() or 0

    a, b = CustomerFactory(), CustomerFactory()
    services.customer_claim(actor=cast["owner"], ids=[a.pk, b.pk])
    assert tally(cast["owner"]) == 2
    services.customer_assign(actor=cast["manager"], ids=[a.pk], to=[cast["colleague"].pk])
    assert (tally(cast["owner"]), tally(cast["colleague"])) == (1, 1)
    services.customer_return(actor=cast["owner"], ids=[b.pk])
    services.customer_recall(actor=cast["manager"], ids=[a.pk])
    assert (tally(cast["owner"]), tally(cast["colleague"])) == (0, 0)
    keep = services.customer_create(actor=cast["owner"], data={"name": "甲方"}, claim=True)
    gone = services.customer_create(actor=cast["owner"], data={"name": "乙方"}, claim=True)
    services.customer_merge(actor=cast["manager"], target=keep.pk, ids=[gone.pk])
    assert tally(cast["owner"]) == 1
    services.customer_restore(actor=cast["admin"], ids=[gone.pk])
    assert tally(cast["owner"]) == 2


@pytest.mark.parametrize("move", ["return", "recall", "assign"])
def test_shares_end_when_the_customer_leaves_its_owner(cast, move):
    customer = CustomerFactory(owner=cast["owner"])
    services.customer_share(actor=cast["owner"], ids=[customer.pk], users=[cast["sharee"].pk])
    assert customer.pk in visible_ids(cast["sharee"])

    if move == "return":
        result = services.customer_return(actor=cast["owner"], ids=[customer.pk])
    elif move == "recall":
        result = services.customer_recall(actor=cast["manager"], ids=[customer.pk])
    else:
        result = services.customer_assign(actor=cast["manager"], ids=[customer.pk], to=[cast["colleague"].pk])

    assert result.succeeded == [customer.pk]
    assert not Share.objects.filter(customer=customer).exists()
    assert customer.pk not in visible_ids(cast["sharee"])
    assert actions(customer)[-1] == "unshare"
