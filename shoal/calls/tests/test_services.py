"""Call annotations (ACT-4, seed 003 §1.1.2 rules), phone leases (seed 003 §6), invalid numbers (ACT-6)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shoal.calls import selectors, services
from shoal.calls.models import CallAnnotation, InvalidPhone, LeaseStatus, PhoneLease
from shoal.calls.tests.factories import FULL
from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from shoal.customers.models import Customer, Share
from shoal.customers.tests.factories import CustomerFactory
from shoal.system.models import DictionaryItem, Parameter

pytestmark = pytest.mark.django_db


def _fields(error) -> set[str]:
    return set(error.value.fields)


# ---------------------------------------------------------------- §1.1.2 submit rules


def test_the_first_three_annotations_need_a_needs_category(cast):
    customer = CustomerFactory(owner=cast["owner"])
    data = {k: v for k, v in FULL.items() if k != "needs_category"}
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data=data)
    assert _fields(error) == {"needs_category"}
    assert not CallAnnotation.objects.exists()


def test_even_one_of_the_first_three_needs_the_category_which_then_needs_all_three(cast):
    customer = CustomerFactory(owner=cast["owner"])
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data={"competition": "竞争激烈"})
    assert _fields(error) == {"needs_category"}
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(
            actor=cast["owner"], customer_id=customer.pk, data={"competition": "竞争激烈", "needs_category": "brand"}
        )
    assert _fields(error) == {"development_outlook", "target_customers"}


def test_a_needs_category_alone_needs_the_first_three(cast):
    customer = CustomerFactory(owner=cast["owner"])
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data={"needs_category": "brand"})
    assert _fields(error) == {"development_outlook", "target_customers", "competition"}


def test_network_awareness_and_its_category_go_together_both_ways(cast):
    customer = CustomerFactory(owner=cast["owner"])
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data={"network_awareness": "有网站"})
    assert _fields(error) == {"awareness_category"}
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data={"awareness_category": "weak"})
    assert _fields(error) == {"network_awareness"}


def test_blank_text_counts_as_not_written(cast):
    customer = CustomerFactory(owner=cast["owner"])
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(
            actor=cast["owner"],
            customer_id=customer.pk,
            data={"network_awareness": "   ", "awareness_category": "weak"},
        )
    assert _fields(error) == {"network_awareness"}


def test_categories_must_be_active_dictionary_codes(cast):
    customer = CustomerFactory(owner=cast["owner"])
    DictionaryItem.objects.filter(kind="promotion_need", code="leads").update(is_active=False)
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data=FULL)
    assert _fields(error) == {"needs_category"}


def test_an_empty_annotation_is_refused(cast):
    customer = CustomerFactory(owner=cast["owner"])
    with pytest.raises(InvalidInput):
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data={})


def test_a_reminder_needs_a_time_and_a_next_step(cast):
    customer = CustomerFactory(owner=cast["owner"])
    with pytest.raises(InvalidInput) as error:
        services.annotation_create(actor=cast["owner"], customer_id=customer.pk, data={**FULL, "remind": True})
    assert _fields(error) == {"next_follow_up_at", "next_step"}


# ---------------------------------------------------------------- saving a call


def test_saving_updates_intent_level_source_and_follow_up_of_the_customer(cast):
    customer = CustomerFactory(owner=cast["owner"], intent_level=0)
    annotation = services.annotation_create(
        actor=cast["owner"],
        customer_id=customer.pk,
        data={
            **FULL,
            "network_awareness": "有网站未推广",
            "awareness_category": "medium",
            "intent_level": 2,
            "source": "referral",
        },
    )
    customer.refresh_from_db()
    assert customer.intent_level == 2 and customer.source == "referral"
    assert customer.last_followed_by_id == cast["owner"].pk and customer.last_followed_at is not None
    assert annotation.intent_level_applied is True
    assert annotation.classification == "new"
    assert customer.events.filter(action="edit").exists()  # through the customers service, with history


def test_a_read_only_sharee_may_annotate_but_not_change_the_intent_level(cast):
    customer = CustomerFactory(owner=cast["owner"], intent_level=1)
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    annotation = services.annotation_create(
        actor=cast["sharee"], customer_id=customer.pk, data={**FULL, "intent_level": 3}
    )
    customer.refresh_from_db()
    assert customer.intent_level == 1 and annotation.intent_level == 3 and not annotation.intent_level_applied
    assert customer.last_followed_by_id == cast["sharee"].pk


def test_an_outsider_gets_404_for_a_customer_they_cannot_see(cast):
    customer = CustomerFactory(owner=cast["owner"])
    with pytest.raises(NotFound):
        services.annotation_create(actor=cast["outsider"], customer_id=customer.pk, data=FULL)


def test_a_role_without_the_call_permission_is_refused(cast):
    from shoal.org.tests.factories import UserFactory, role

    technician = UserFactory(role=role("technician"))
    customer = CustomerFactory(owner=technician)
    with pytest.raises(Forbidden):
        services.annotation_create(actor=technician, customer_id=customer.pk, data=FULL)


def test_due_reminders_are_sent_once(cast, sent):
    customer = CustomerFactory(owner=cast["owner"])
    at = timezone.now() + timedelta(hours=2)
    services.annotation_create(
        actor=cast["owner"],
        customer_id=customer.pk,
        data={**FULL, "next_step": "visit", "next_follow_up_at": at, "remind": True},
    )
    assert services.annotation_remind_due(now=timezone.now()) == 0
    assert services.annotation_remind_due(now=at + timedelta(minutes=1)) == 1
    assert services.annotation_remind_due(now=at + timedelta(minutes=2)) == 0
    assert len(sent) == 1 and sent[0]["recipients"] == [cast["owner"].pk]
    assert sent[0]["link"] == f"/calls/customer/{customer.pk}"


def test_reminders_stay_due_while_the_notification_centre_is_missing(cast):
    customer = CustomerFactory(owner=cast["owner"])
    at = timezone.now() - timedelta(minutes=1)
    annotation = services.annotation_create(
        actor=cast["owner"],
        customer_id=customer.pk,
        data={**FULL, "next_step": "call", "next_follow_up_at": at, "remind": True},
    )
    try:
        import shoal.notifications  # noqa: F401
    except ModuleNotFoundError:
        assert services.annotation_remind_due() == 0
        annotation.refresh_from_db()
        assert annotation.reminded_at is None


# ---------------------------------------------------------------- phone leases (电话申领)


def _pool(n, **extra):
    return [CustomerFactory(phone=f"0571-8800{i:04d}", **extra) for i in range(n)]


def test_a_rep_leases_the_next_numbers_of_the_pool_and_may_call_them(cast):
    pool = _pool(5)
    CustomerFactory(owner=cast["colleague"], phone="0571-1")  # owned: not in the pool
    CustomerFactory(phone="", mobile="")  # no number to call
    leases = services.lease_request(actor=cast["owner"], count=3)
    assert [lease.customer_id for lease in leases] == [c.pk for c in pool[:3]]
    customer, via_lease = selectors.call_customer_get(user=cast["owner"], pk=pool[0].pk)
    assert via_lease is True
    services.annotation_create(actor=cast["owner"], customer_id=pool[0].pk, data=FULL)
    assert PhoneLease.objects.get(customer=pool[0]).status == LeaseStatus.CALLED
    assert Customer.objects.get(pk=pool[0].pk).owner_id is None  # leased, not owned


def test_two_reps_never_get_the_same_number_the_same_day(cast):
    _pool(4)
    first = {lease.customer_id for lease in services.lease_request(actor=cast["owner"], count=3)}
    second = {lease.customer_id for lease in services.lease_request(actor=cast["colleague"], count=3)}
    assert len(first) == 3 and len(second) == 1 and not first & second


def test_the_daily_quota_caps_the_leases(cast):
    _pool(10)
    Parameter.objects.update_or_create(key="call_daily_quota", defaults={"value": 4})
    assert len(services.lease_request(actor=cast["owner"], count=3)) == 3
    assert len(services.lease_request(actor=cast["owner"], count=3)) == 1
    with pytest.raises(Conflict) as error:
        services.lease_request(actor=cast["owner"], count=1)
    assert error.value.code == "call_quota_reached"


def test_released_numbers_go_back_to_the_pool_and_free_the_quota(cast):
    _pool(2)
    Parameter.objects.update_or_create(key="call_daily_quota", defaults={"value": 2})
    leases = services.lease_request(actor=cast["owner"], count=2)
    result = services.lease_release(actor=cast["owner"], ids=[leases[0].pk, 999999])
    assert result.succeeded == [leases[0].pk] and result.failed[0]["code"] == "not_found"
    again = services.lease_request(actor=cast["colleague"], count=5)
    assert [lease.customer_id for lease in again] == [leases[0].customer_id]


def test_someone_elses_lease_cannot_be_released(cast):
    _pool(1)
    lease = services.lease_request(actor=cast["owner"], count=1)[0]
    result = services.lease_release(actor=cast["colleague"], ids=[lease.pk])
    assert result.failed[0]["code"] == "not_found"


def test_unused_leases_expire_after_the_day_and_the_lease_no_longer_opens_the_customer(cast):
    pool = _pool(1)
    lease = services.lease_request(actor=cast["owner"], count=1)[0]
    PhoneLease.objects.filter(pk=lease.pk).update(day=timezone.localdate() - timedelta(days=1))
    assert services.lease_expire() == 1
    assert services.lease_expire() == 0
    with pytest.raises(NotFound):
        selectors.call_customer_get(user=cast["owner"], pk=pool[0].pk)


def test_an_empty_pool_answers_a_conflict(cast):
    with pytest.raises(Conflict) as error:
        services.lease_request(actor=cast["owner"], count=2)
    assert error.value.code == "pool_exhausted"


# ---------------------------------------------------------------- invalid numbers (ACT-6)


def test_marked_numbers_leave_the_call_list_until_cleaned_up(cast):
    pool = _pool(2)
    lease = services.lease_request(actor=cast["owner"], count=1)[0]
    services.invalid_phone_mark(actor=cast["owner"], customer_id=lease.customer_id, phone=pool[0].phone, reason="empty")
    assert PhoneLease.objects.get(pk=lease.pk).status == LeaseStatus.CALLED
    services.lease_release(actor=cast["owner"], ids=[lease.pk])  # used: stays with the rep
    later = services.lease_request(actor=cast["colleague"], count=5)
    assert [x.customer_id for x in later] == [pool[1].pk]
    mark = InvalidPhone.objects.get()
    result = services.invalid_phone_resolve(actor=cast["manager"], ids=[mark.pk], resolution="已更正号码")
    assert result.succeeded == [mark.pk]
    assert pool[0].pk in selectors.lease_candidates(day=timezone.localdate() + timedelta(days=1)).values_list(
        "pk", flat=True
    )


def test_a_number_must_be_the_customers_and_is_marked_once(cast):
    customer = CustomerFactory(owner=cast["owner"], mobile="13912345678")
    with pytest.raises(InvalidInput):
        services.invalid_phone_mark(actor=cast["owner"], customer_id=customer.pk, phone="13900000000", reason="empty")
    services.invalid_phone_mark(actor=cast["owner"], customer_id=customer.pk, phone="13912345678", reason="stopped")
    with pytest.raises(Conflict):
        services.invalid_phone_mark(actor=cast["owner"], customer_id=customer.pk, phone="13912345678", reason="empty")


def test_a_read_only_sharee_cannot_clean_up_and_an_outsider_sees_nothing(cast):
    customer = CustomerFactory(owner=cast["owner"], mobile="13912345678")
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    mark = services.invalid_phone_mark(
        actor=cast["sharee"], customer_id=customer.pk, phone="13912345678", reason="wrong_person"
    )
    assert services.invalid_phone_resolve(actor=cast["sharee"], ids=[mark.pk]).failed[0]["code"] == "read_only"
    assert services.invalid_phone_resolve(actor=cast["outsider"], ids=[mark.pk]).failed[0]["code"] == "not_found"
    assert services.invalid_phone_resolve(actor=cast["owner"], ids=[mark.pk]).succeeded == [mark.pk]
    assert services.invalid_phone_resolve(actor=cast["owner"], ids=[mark.pk]).failed[0]["code"] == "already_resolved"


def test_counts_per_rep_cover_the_managers_scope_only(cast):
    for n, who in enumerate(["owner", "owner", "colleague", "outsider"]):
        customer = CustomerFactory(owner=cast[who], mobile=f"1391234567{n}")
        services.invalid_phone_mark(actor=cast[who], customer_id=customer.pk, phone=customer.mobile, reason="empty")
    now = timezone.localdate()
    stats = {
        r["user"]: r["total"]
        for r in selectors.invalid_phone_stats(user=cast["manager"], year=now.year, month=now.month)
    }
    assert stats == {cast["owner"].pk: 2, cast["colleague"].pk: 1}
    own = selectors.invalid_phone_stats(user=cast["owner"], year=now.year, month=now.month)
    assert [(r["user"], r["total"], r["empty"]) for r in own] == [(cast["owner"].pk, 2, 2)]


# ---------------------------------------------------------------- talk scripts


def test_only_managers_edit_talk_scripts(cast):
    data = {"kind": "needs", "category": "brand", "title": "开场", "content": "您好"}
    with pytest.raises(Forbidden):
        services.talk_script_create(actor=cast["owner"], data=data)
    script = services.talk_script_create(actor=cast["manager"], data=data)
    with pytest.raises(InvalidInput):
        services.talk_script_update(actor=cast["manager"], script=script, version=1, data={"category": "nope"})
    script = services.talk_script_update(actor=cast["manager"], script=script, version=1, data={"title": "新开场"})
    assert script.version == 2 and script.title == "新开场"


def test_a_rep_keeps_seeing_own_records_of_a_leased_pool_number_after_the_lease(cast):
    pool = _pool(1, mobile="13955556666")
    lease = services.lease_request(actor=cast["owner"], count=1)[0]
    annotation = services.annotation_create(actor=cast["owner"], customer_id=pool[0].pk, data=FULL)
    mark = services.invalid_phone_mark(actor=cast["owner"], customer_id=pool[0].pk, phone="13955556666", reason="empty")
    PhoneLease.objects.filter(pk=lease.pk).update(day=timezone.localdate() - timedelta(days=1))
    assert list(selectors.annotation_list(user=cast["owner"]).values_list("pk", flat=True)) == [annotation.pk]
    assert list(selectors.invalid_phone_list(user=cast["owner"]).values_list("pk", flat=True)) == [mark.pk]
    assert not selectors.annotation_list(user=cast["colleague"]).exists()
    assert not selectors.invalid_phone_list(user=cast["colleague"]).exists()
    with pytest.raises(NotFound):
        selectors.call_customer_get(user=cast["owner"], pk=pool[0].pk)
    # cleaning the number up needs the right to edit the customer
    assert services.invalid_phone_resolve(actor=cast["owner"], ids=[mark.pk]).failed[0]["code"] == "read_only"
