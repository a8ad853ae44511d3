"""Pool rules with a controllable clock (CUS-1, SYS-2): every service takes ``now``."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from shoal.customers import services as customers
from shoal.customers.models import Customer, CustomerEvent, Share
from shoal.customers.tests.factories import CustomerFactory
from shoal.org.tests.factories import UserFactory, role
from shoal.pools import services
from shoal.pools.models import Cooldown, DailyCounter
from shoal.pools.selectors import default_pool
from shoal.pools.tests.factories import make_pool, set_rules

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime(2026, 3, 2, 9, 0))  # a Monday morning
DAY = timedelta(days=1)


def claim(user, *customers_, at=T0):
    return customers.customer_claim(actor=user, ids=[c.pk for c in customers_], now=at)


def codes(result):
    return [f["code"] for f in result.failed]


def fresh(customer):
    return Customer.objects.get(pk=customer.pk)


# ---------------------------------------------------------------- the countdown


def test_no_follow_up_rule_sets_the_countdown_at_claim_and_a_follow_up_restarts_it(cast):
    set_rules(auto_return=True, no_follow_up_days=7)
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    assert fresh(customer).return_due_at == T0 + 7 * DAY
    assert fresh(customer).return_rule == "no_follow_up:7"

    customers.customer_follow_up_record(actor=cast["owner"], customer=fresh(customer), at=T0 + 3 * DAY)

    assert fresh(customer).return_due_at == T0 + 10 * DAY


def test_the_earliest_rule_wins_and_levels_have_their_own_numbers(cast):
    set_rules(
        auto_return=True,
        no_follow_up_days=30,
        no_deal_days=10,
        level_days={"a": {"no_follow_up_days": 60, "no_deal_days": 90}},
    )
    plain, key_account = CustomerFactory(), CustomerFactory(level="a")
    claim(cast["owner"], plain, key_account)
    assert (fresh(plain).return_due_at, fresh(plain).return_rule) == (T0 + 10 * DAY, "no_deal:10")
    assert (fresh(key_account).return_due_at, fresh(key_account).return_rule) == (T0 + 60 * DAY, "no_follow_up:60")


def test_contract_end_rule_counts_from_the_end_of_the_last_contract(cast):
    set_rules(auto_return=True, after_contract_days=30, exempt_signed_contracts=False)
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    assert fresh(customer).return_due_at is None  # no contract yet: the rule does not apply

    customers.customer_deal_facts_set(customer.pk, contract_ended_at=T0 + 100 * DAY)

    assert fresh(customer).return_due_at == T0 + 130 * DAY
    assert fresh(customer).return_rule == "contract_ended:30"


def test_open_deals_signed_contracts_and_locks_exempt_by_option(cast):
    set_rules(auto_return=True, no_follow_up_days=5, exempt_open_deals=True, exempt_locked=True, lock_limit=1)
    dealing, locked = CustomerFactory(), CustomerFactory()
    claim(cast["owner"], dealing, locked)

    customers.customer_deal_facts_set(dealing.pk, open_deals=1)
    result = services.customer_lock(actor=cast["owner"], ids=[locked.pk], now=T0)

    assert result.succeeded == [locked.pk]
    assert fresh(dealing).return_due_at is None
    assert fresh(locked).return_due_at is None
    customers.customer_deal_facts_set(dealing.pk, open_deals=0)
    assert fresh(dealing).return_due_at == T0 + 5 * DAY


def test_a_rep_may_lock_only_up_to_the_lock_limit(cast):
    set_rules(auto_return=True, no_follow_up_days=5, exempt_locked=True, lock_limit=1)
    first, second = CustomerFactory(), CustomerFactory()
    claim(cast["owner"], first, second)
    result = services.customer_lock(actor=cast["owner"], ids=[first.pk, second.pk])
    assert result.succeeded == [first.pk]
    assert codes(result) == ["lock_limit_reached"]
    assert "1" in result.failed[0]["message"]


def test_rule_change_recomputes_the_countdown_of_claimed_customers(cast):
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    assert fresh(customer).return_due_at is None
    rules = set_rules()
    services.pool_rules_update(
        actor=cast["admin"],
        pool=default_pool(),
        version=rules.version,
        changes={"auto_return": True, "no_follow_up_days": 3},
    )
    assert fresh(customer).return_due_at == T0 + 3 * DAY


# ---------------------------------------------------------------- auto-return job


def test_auto_return_moves_due_customers_back_records_why_and_tells_the_owner(
    cast, _sent, django_capture_on_commit_callbacks
):
    set_rules(auto_return=True, no_follow_up_days=7, cooldown=True, cooldown_days=5)
    due, kept = CustomerFactory(), CustomerFactory()
    claim(cast["owner"], due, kept)
    customers.customer_follow_up_record(actor=cast["owner"], customer=fresh(kept), at=T0 + 5 * DAY)
    Share.objects.create(customer=due, user=cast["colleague"])

    with django_capture_on_commit_callbacks(execute=True):
        plan = services.auto_return_run(now=T0 + 7 * DAY + timedelta(minutes=1))

    assert [r["id"] for r in plan.returned] == [due.pk]
    assert fresh(due).owner_id is None and fresh(due).return_due_at is None
    assert fresh(kept).owner_id == cast["owner"].pk
    event = CustomerEvent.objects.filter(customer=due, action="return").get()
    assert event.actor is None
    assert "7" in event.reason and event.changes["owner"] == [cast["owner"].pk, None]
    assert not Share.objects.filter(customer=due).exists()
    assert Cooldown.objects.filter(customer=due, user=cast["owner"]).exists()
    assert [m["recipients"] for m in _sent if m["kind"] == "pool.auto_return"] == [[cast["owner"].pk]]


def test_auto_return_is_idempotent(cast):
    set_rules(auto_return=True, no_follow_up_days=1)
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    later = T0 + 2 * DAY
    assert len(services.auto_return_run(now=later).returned) == 1
    assert len(services.auto_return_run(now=later).returned) == 0
    assert CustomerEvent.objects.filter(customer=customer, action="return").count() == 1


def test_auto_return_works_in_bounded_batches(cast):
    set_rules(auto_return=True, no_follow_up_days=1)
    rows = [CustomerFactory() for _ in range(7)]
    claim(cast["owner"], *rows)
    plan = services.auto_return_run(now=T0 + 2 * DAY, batch_size=3)
    assert len(plan.returned) == 7
    assert plan.batches == 3
    assert Customer.objects.filter(owner__isnull=False).count() == 0


def test_auto_return_never_returns_early_on_a_stale_countdown(cast):
    set_rules(auto_return=True, no_follow_up_days=1)
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    # A rule loosened without the refresh having run yet: the stored countdown is stale.
    set_rules(no_follow_up_days=30)
    plan = services.auto_return_run(now=T0 + 2 * DAY)
    assert plan.returned == []
    assert fresh(customer).owner_id == cast["owner"].pk
    assert fresh(customer).return_due_at == T0 + 30 * DAY


def test_auto_return_goes_to_the_rules_target_pool(cast):
    other = make_pool("华南公海")
    set_rules(auto_return=True, no_follow_up_days=1, return_to=other)
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    services.auto_return_run(now=T0 + 2 * DAY)
    assert fresh(customer).pool_id == other.pk


def test_the_owner_is_warned_d_days_before_once(cast, _sent, django_capture_on_commit_callbacks):
    set_rules(auto_return=True, no_follow_up_days=10, warning=True, warning_days=3)
    customer = CustomerFactory()
    claim(cast["owner"], customer)

    assert services.auto_return_run(now=T0 + 6 * DAY).warned == []  # 4 days left
    with django_capture_on_commit_callbacks(execute=True):
        first = services.auto_return_run(now=T0 + 7 * DAY + timedelta(minutes=1))
        again = services.auto_return_run(now=T0 + 7 * DAY + timedelta(hours=1))

    assert [w["id"] for w in first.warned] == [customer.pk]
    assert again.warned == []
    warnings = [m for m in _sent if m["kind"] == "pool.return_warning"]
    assert len(warnings) == 1 and warnings[0]["recipients"] == [cast["owner"].pk]
    # a follow-up restarts the countdown; the next approach warns again
    customers.customer_follow_up_record(actor=cast["owner"], customer=fresh(customer), at=T0 + 8 * DAY)
    assert len(services.auto_return_run(now=T0 + 16 * DAY).warned) == 1


def test_preview_answers_what_the_job_will_do_without_writing(cast):
    set_rules(auto_return=True, no_follow_up_days=30)
    reps = [cast["owner"], cast["colleague"]]
    old = [CustomerFactory() for _ in range(3)]
    claim(reps[0], *old[:2], at=T0 - 20 * DAY)
    claim(reps[1], old[2], at=T0 - 20 * DAY)
    recent = CustomerFactory()
    claim(reps[0], recent, at=T0)

    preview = services.auto_return_preview(
        actor=cast["admin"], pool=default_pool(), rules={"no_follow_up_days": 21}, now=T0
    )

    assert (preview["customers"], preview["reps"]) == (3, 2)
    assert {r["id"]: r["count"] for r in preview["by_rep"]} == {reps[0].pk: 2, reps[1].pk: 1}
    assert Customer.objects.filter(owner__isnull=False).count() == 4  # nothing moved
    # the same numbers, saved, are what the job then does the next day
    rules = set_rules()
    services.pool_rules_update(
        actor=cast["admin"], pool=default_pool(), version=rules.version, changes={"no_follow_up_days": 21}
    )
    plan = services.auto_return_run(now=T0 + DAY)
    assert sorted(r["id"] for r in plan.returned) == sorted(r["id"] for r in preview["sample"])


# ---------------------------------------------------------------- claim rules


def test_daily_claim_limit_refuses_with_the_rule_and_when(cast):
    set_rules(daily_claim=True, daily_claim_limit=2)
    rows = [CustomerFactory() for _ in range(3)]
    result = claim(cast["owner"], *rows)
    assert len(result.succeeded) == 2
    assert codes(result) == ["claim_limit_reached"]
    message = result.failed[0]["message"]
    assert "2" in message and ("tomorrow" in message or "明日" in message)
    # a refused claim never uses up a claim; the next day counts afresh
    assert DailyCounter.objects.get(user=cast["owner"]).count == 2
    assert claim(cast["owner"], rows[2], at=T0 + DAY).succeeded == [rows[2].pk]


def test_deal_customers_do_not_count_against_the_daily_claim_limit(cast):
    set_rules(daily_claim=True, daily_claim_limit=1)
    won_before = CustomerFactory(last_deal_at=T0 - 100 * DAY)
    plain = [CustomerFactory(), CustomerFactory()]
    result = claim(cast["owner"], won_before, *plain)
    assert result.succeeded == [won_before.pk, plain[0].pk]
    assert codes(result) == ["claim_limit_reached"]


def test_holding_limit_applies_to_claims_and_assignments(cast):
    set_rules(holding=True, holding_limit=2)
    held = [CustomerFactory(owner=cast["owner"], claimed_at=T0) for _ in range(2)]
    assert held
    free = CustomerFactory()
    assert codes(claim(cast["owner"], free)) == ["holding_limit_reached"]
    result = customers.customer_assign(actor=cast["admin"], ids=[free.pk], to=[cast["owner"].pk])
    assert codes(result) == ["holding_limit_reached"]
    assert cast["owner"].display_name in result.failed[0]["message"]


def test_holding_limit_may_leave_deal_customers_out(cast):
    set_rules(holding=True, holding_limit=1, holding_counts_deals=False)
    CustomerFactory(owner=cast["owner"], claimed_at=T0, last_deal_at=T0 - DAY)
    assert claim(cast["owner"], CustomerFactory()).failed == []
    set_rules(holding_counts_deals=True)
    assert codes(claim(cast["owner"], CustomerFactory())) == ["holding_limit_reached"]


def test_holding_limit_per_department_counts_the_whole_team(cast):
    set_rules(holding=True, holding_limit=2, holding_scope="department")
    CustomerFactory(owner=cast["colleague"], claimed_at=T0)
    assert claim(cast["owner"], CustomerFactory()).failed == []
    assert codes(claim(cast["owner"], CustomerFactory())) == ["holding_limit_reached"]
    assert claim(cast["outsider"], CustomerFactory()).failed == []  # another department


def test_previous_owner_cool_down_after_return_recall_and_auto_return(cast):
    set_rules(cooldown=True, cooldown_days=7, auto_return=True, no_follow_up_days=1)
    returned, recalled, expired = CustomerFactory(), CustomerFactory(), CustomerFactory()
    claim(cast["owner"], returned, recalled, expired)
    customers.customer_return(actor=cast["owner"], ids=[returned.pk], now=T0 + DAY / 2)
    customers.customer_recall(actor=cast["admin"], ids=[recalled.pk])
    services.auto_return_run(now=T0 + 2 * DAY)

    refused = claim(cast["owner"], returned, expired, at=T0 + 3 * DAY)
    assert codes(refused) == ["cooldown_active", "cooldown_active"]
    assert "7" in refused.failed[0]["message"]
    assert claim(cast["colleague"], expired, at=T0 + 3 * DAY).succeeded == [expired.pk]  # others may
    assert claim(cast["owner"], returned, at=T0 + 8 * DAY).succeeded == [returned.pk]


def test_rules_combine_cool_down_first_then_daily_then_holding(cast):
    set_rules(cooldown=True, cooldown_days=3, daily_claim=True, daily_claim_limit=1, holding=True, holding_limit=5)
    lost = CustomerFactory()
    claim(cast["owner"], lost)
    customers.customer_return(actor=cast["owner"], ids=[lost.pk], now=T0)
    # cooled down and over today's limit: the cool-down names itself first
    assert codes(claim(cast["owner"], lost, at=T0 + DAY / 4)) == ["cooldown_active"]
    assert codes(claim(cast["owner"], CustomerFactory(), at=T0 + DAY / 4)) == ["claim_limit_reached"]


def test_rules_of_another_pool_do_not_apply(cast):
    strict = make_pool("严格公海")
    set_rules(strict, daily_claim=True, daily_claim_limit=0)
    mine = CustomerFactory()
    assert claim(cast["owner"], mine).failed == []
    inside = CustomerFactory(pool=strict)
    assert codes(claim(cast["owner"], inside)) == ["claim_limit_reached"]


def test_pool_members_alone_see_and_claim_from_a_restricted_pool(cast, company):
    south = make_pool("华南公海", member_departments=[company["team_a"]])
    customer = CustomerFactory(pool=south)
    assert codes(claim(cast["outsider"], customer)) == ["not_found"]
    assert claim(cast["owner"], customer).succeeded == [customer.pk]


def test_returning_to_a_chosen_pool_moves_the_customer_there(cast):
    other = make_pool("华东公海")
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    result = customers.customer_return(actor=cast["owner"], ids=[customer.pk], pool=other.pk)
    assert result.succeeded == [customer.pk]
    assert fresh(customer).pool_id == other.pk
    event = CustomerEvent.objects.filter(customer=customer, action="return").get()
    assert event.changes["pool"] == [default_pool().pk, other.pk]


def test_moving_customers_between_pools_in_batch(cast):
    other = make_pool("大客户池")
    rows = [CustomerFactory(), CustomerFactory()]
    result = services.customer_move(actor=cast["admin"], ids=[r.pk for r in rows] + [999999], to=other)
    assert result.succeeded == [r.pk for r in rows]
    assert codes(result) == ["not_found"]
    services.customer_move(actor=cast["admin"], ids=[rows[0].pk], to=default_pool())
    assert fresh(rows[0]).pool_id is None  # the default pool is stored as NULL


def test_anti_harvest_counts_distinct_customers_per_day(cast):
    from shoal.core.errors import ShoalError

    set_rules(view_limit=True, daily_view_limit=2)
    a, b, c = CustomerFactory(), CustomerFactory(), CustomerFactory()
    for customer in (a, b, a):
        services.pool_view_record(actor=cast["owner"], customer_id=customer.pk, pool_id=None, now=T0)
    with pytest.raises(ShoalError) as refused:
        services.pool_view_record(actor=cast["owner"], customer_id=c.pk, pool_id=None, now=T0)
    assert refused.value.code == "view_limit_reached" and refused.value.status == 429
    services.pool_view_record(actor=cast["owner"], customer_id=c.pk, pool_id=None, now=T0 + DAY)


def test_phone_masking():
    assert services.mask_phone("13812345678") == "138****5678"
    assert services.mask_phone("0755-66001234") == "075****1234"
    assert services.mask_phone("") == ""


def test_only_pool_administrators_change_rules(cast):
    from shoal.core.errors import Forbidden

    rules = set_rules()
    with pytest.raises(Forbidden):
        services.pool_rules_update(actor=cast["manager"], pool=default_pool(), version=rules.version, changes={})


def test_reps_of_a_new_role_get_the_lock_permission(cast):
    assert UserFactory(role=role("sales_rep")).has_permission("customer.lock")


def test_the_command_dry_run_changes_nothing(cast):
    from io import StringIO

    from django.core.management import call_command

    set_rules(auto_return=True, no_follow_up_days=1)
    customer = CustomerFactory()
    claim(cast["owner"], customer)
    out = StringIO()
    call_command("pool_auto_return", "--dry-run", "--at", (T0 + 2 * DAY).isoformat(), stdout=out)
    assert "would return 1 customers" in out.getvalue()
    assert fresh(customer).owner_id == cast["owner"].pk
    call_command("pool_auto_return", "--at", (T0 + 2 * DAY).isoformat(), stdout=out)
    assert fresh(customer).owner_id is None
