from decimal import Decimal

import pytest

from shoal.core.errors import Conflict as ConflictError
from shoal.core.errors import Forbidden, InvalidInput, StaleVersion
from shoal.customers.models import Share
from shoal.customers.tests.factories import CustomerFactory
from shoal.opportunities import services
from shoal.opportunities.models import Conflict, ConflictStatus, OpportunityEvent, StageKind
from shoal.opportunities.tests.factories import opportunity

pytestmark = pytest.mark.django_db


def test_a_new_opportunity_starts_in_the_first_open_stage_with_history(cast, stage):
    customer = CustomerFactory(owner=cast["owner"])
    opp = opportunity(customer, cast["owner"], expected_amount=Decimal("12000.50"))
    assert opp.stage == stage["initial"] and opp.status == StageKind.OPEN and opp.owner == cast["owner"]
    assert OpportunityEvent.objects.filter(opportunity=opp, action="create").count() == 1


def test_moving_to_won_needs_a_reason_and_closes_the_opportunity(cast, stage):
    opp = opportunity(CustomerFactory(owner=cast["owner"]), cast["owner"])
    with pytest.raises(InvalidInput):
        services.opportunity_update(actor=cast["owner"], opportunity=opp, version=1, data={"stage": stage["won"]})
    services.opportunity_update(
        actor=cast["owner"], opportunity=opp, version=1, data={"stage": stage["won"], "close_reason": "价格合适"}
    )
    opp.refresh_from_db()
    assert opp.status == StageKind.WON and opp.closed_at and opp.close_reason == "价格合适"
    # reopening clears the close
    services.opportunity_update(
        actor=cast["owner"], opportunity=opp, version=opp.version, data={"stage": stage["needs"]}
    )
    opp.refresh_from_db()
    assert opp.status == StageKind.OPEN and opp.closed_at is None
    actions = list(OpportunityEvent.objects.filter(opportunity=opp).values_list("action", flat=True))
    assert actions[:2] == ["reopen", "won"]


def test_a_stale_drag_is_refused(cast, stage):
    opp = opportunity(CustomerFactory(owner=cast["owner"]), cast["owner"])
    services.opportunity_update(actor=cast["owner"], opportunity=opp, version=1, data={"stage": stage["needs"]})
    with pytest.raises(StaleVersion):
        services.opportunity_update(actor=cast["owner"], opportunity=opp, version=1, data={"stage": stage["proposal"]})


def test_a_read_only_sharee_cannot_change_someone_elses_opportunity(cast):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    opp = opportunity(customer, cast["owner"])
    with pytest.raises(Forbidden):
        services.opportunity_update(actor=cast["sharee"], opportunity=opp, version=1, data={"next_step": "x"})
    services.opportunity_update(actor=cast["manager"], opportunity=opp, version=1, data={"next_step": "拜访"})


def test_competitors_are_replaced_on_edit(cast):
    opp = opportunity(CustomerFactory(owner=cast["owner"]), cast["owner"])
    services.opportunity_update(
        actor=cast["owner"],
        opportunity=opp,
        version=1,
        data={},
        competitors=[{"name": "友商A", "strengths": "便宜", "weaknesses": "服务差"}],
    )
    assert list(opp.competitors.values_list("name", "strengths", "weaknesses")) == [("友商A", "便宜", "服务差")]


# ---------------------------------------------------------------- conflicts (SAL-2)


def test_a_second_rep_on_a_customer_makes_one_conflict_for_their_common_manager(cast):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    first = opportunity(customer, cast["sharee"])
    opportunity(customer, cast["sharee"])  # again: still one
    conflicts = Conflict.objects.filter(customer=customer)
    assert conflicts.count() == 1
    conflict = conflicts.get()
    assert (conflict.incumbent, conflict.challenger, conflict.manager) == (
        cast["owner"],
        cast["sharee"],
        cast["manager"],
    )
    assert conflict.opportunity == first


def test_the_owner_opening_an_opportunity_alone_makes_no_conflict(cast):
    customer = CustomerFactory(owner=cast["owner"])
    opportunity(customer, cast["owner"])
    opportunity(customer, cast["owner"])
    assert not Conflict.objects.exists()


def test_claim_activity_of_another_rep_makes_a_conflict_too(cast):
    customer = CustomerFactory(owner=cast["owner"])
    found = services.conflict_detect(actor=cast["colleague"], customer=customer, trigger="activity")
    again = services.conflict_detect(actor=cast["colleague"], customer=customer, trigger="activity")
    assert len(found) == 1 and found[0].pk == again[0].pk and found[0].trigger == "activity"


def test_the_manager_decides_and_the_losers_opportunities_move_to_the_winner(cast):
    customer = CustomerFactory(owner=cast["owner"])
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    theirs = opportunity(customer, cast["sharee"])
    conflict = Conflict.objects.get()
    services.conflict_resolve(actor=cast["manager"], conflict=conflict, winner_id=cast["owner"].pk, decision="老客户")
    conflict.refresh_from_db()
    theirs.refresh_from_db()
    assert conflict.status == ConflictStatus.RESOLVED and conflict.winner == cast["owner"]
    assert conflict.resolved_by == cast["manager"] and conflict.decision == "老客户"
    assert theirs.owner == cast["owner"]
    assert theirs.events.filter(action="transfer").exists()
    with pytest.raises(ConflictError):
        services.conflict_resolve(actor=cast["manager"], conflict=conflict, winner_id=cast["owner"].pk, decision="再")


def test_the_winner_must_be_one_of_the_two_and_an_outside_manager_may_not_decide(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.conflict_detect(actor=cast["colleague"], customer=customer)
    conflict = Conflict.objects.get()
    with pytest.raises(InvalidInput):
        services.conflict_resolve(actor=cast["manager"], conflict=conflict, winner_id=cast["sharee"].pk, decision="x")
    Share.objects.create(customer=customer, user=cast["outsider"], access="read")
    with pytest.raises(Forbidden):
        services.conflict_resolve(actor=cast["outsider"], conflict=conflict, winner_id=cast["owner"].pk, decision="x")


def test_after_a_decision_a_new_clash_opens_a_new_conflict(cast):
    customer = CustomerFactory(owner=cast["owner"])
    services.conflict_detect(actor=cast["colleague"], customer=customer)
    services.conflict_resolve(
        actor=cast["manager"], conflict=Conflict.objects.get(), winner_id=cast["owner"].pk, decision="x"
    )
    services.conflict_detect(actor=cast["colleague"], customer=customer)
    assert Conflict.objects.filter(customer=customer).count() == 2


def test_merging_customers_moves_their_opportunities_to_the_survivor(cast):
    """customers.services.customer_merge moves every other app's records from the model graph."""
    from shoal.customers import services as customer_services
    from shoal.customers.tests.factories import CustomerFactory
    from shoal.opportunities.models import Opportunity
    from shoal.opportunities.tests.factories import opportunity

    keep = CustomerFactory(owner=cast["owner"])
    gone = CustomerFactory(owner=cast["owner"])
    moved = opportunity(gone, cast["owner"])
    result = customer_services.customer_merge(actor=cast["manager"], target=keep.pk, ids=[gone.pk])
    assert result.succeeded == [gone.pk]
    assert Opportunity.objects.get(pk=moved.pk).customer_id == keep.pk


def test_claiming_a_customer_another_rep_has_an_open_opportunity_on_is_a_conflict(cast):
    from shoal.customers import services as customer_services
    from shoal.customers.tests.factories import CustomerFactory
    from shoal.opportunities.models import Conflict
    from shoal.opportunities.tests.factories import opportunity

    customer = CustomerFactory(owner=cast["owner"])
    opportunity(customer, cast["owner"])
    customer_services.customer_return(actor=cast["owner"], ids=[customer.pk])
    result = customer_services.customer_claim(actor=cast["colleague"], ids=[customer.pk])
    assert result.succeeded == [customer.pk]
    [conflict] = Conflict.objects.filter(customer=customer)
    assert (conflict.incumbent_id, conflict.challenger_id, conflict.trigger) == (
        cast["owner"].pk,
        cast["colleague"].pk,
        "claim",
    )
    # claiming with no one else's opportunity open raises none
    other = CustomerFactory()
    customer_services.customer_claim(actor=cast["colleague"], ids=[other.pk])
    assert not Conflict.objects.filter(customer=other).exists()
