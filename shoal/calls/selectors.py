"""Every read of the call domain that depends on who asks. A record hanging off a customer is seen
exactly when its customer is — or, for the call page, while the user holds today's lease on it; and
its author (who wrote the annotation, reported the number) keeps seeing it."""

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from shoal.calls.models import (
    CallAnnotation,
    InvalidPhone,
    InvalidStatus,
    LeaseStatus,
    PhoneLease,
    TalkScript,
)
from shoal.core.errors import NotFound
from shoal.customers.models import Customer
from shoal.customers.selectors import customer_visible
from shoal.org.models import User
from shoal.org.selectors import user_ids_in_scope, user_subordinate_ids
from shoal.system.defaults import PARAMETER_DEFAULTS
from shoal.system.selectors import parameter_get

HELD = (LeaseStatus.ACTIVE, LeaseStatus.CALLED)


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- the customer of a call


def leased_customer_ids(*, user: User, day: date | None = None) -> list[int]:
    """Customers lent to ``user`` for the day (seed 003 §6): they may call and annotate them."""
    return list(
        PhoneLease.objects.filter(user_id=user.pk, day=day or today(), status__in=HELD).values_list(
            "customer_id", flat=True
        )
    )


def call_customers(*, user: User) -> QuerySet[Customer]:
    """Customers whose call page ``user`` may open: those they see, and those leased to them today."""
    visible = customer_visible(user=user)
    leased = leased_customer_ids(user=user)
    if leased:
        return Customer.objects.filter(deleted_at__isnull=True).filter(
            Q(pk__in=visible.values("pk")) | Q(pk__in=leased)
        )
    return visible


def call_customer_get(*, user: User, pk: int) -> tuple[Customer, bool]:
    """(customer, seen_through_lease) or 404."""
    customer = customer_visible(user=user).select_related("stage", "owner", "last_followed_by").filter(pk=pk).first()
    if customer is not None:
        return customer, False
    if pk in leased_customer_ids(user=user):
        customer = (
            Customer.objects.filter(pk=pk, deleted_at__isnull=True)
            .select_related("stage", "owner", "last_followed_by")
            .first()
        )
        if customer is not None:
            return customer, True
    raise NotFound()


def customer_numbers(customer: Customer) -> list[str]:
    numbers = [customer.phone, customer.mobile, customer.primary_contact_mobile]
    numbers += [n for c in customer.contacts.all() for n in (c.mobile, c.phone)]
    return list(dict.fromkeys(n for n in numbers if n))


# ---------------------------------------------------------------- annotations (ACT-4)


def annotation_list(*, user: User, filters: dict | None = None) -> QuerySet[CallAnnotation]:
    filters = filters or {}
    # Authors keep seeing what they wrote, also on a pool number whose lease has ended.
    qs = CallAnnotation.objects.filter(Q(customer__in=call_customers(user=user).values("pk")) | Q(author_id=user.pk))
    customer = filters.get("customer")
    if customer:
        qs = qs.filter(customer_id=customer)
    if filters.get("author"):
        qs = qs.filter(author_id=filters["author"])
    if filters.get("mine"):
        qs = qs.filter(author_id=user.pk)
    for field in ("needs_category", "awareness_category", "next_step"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("intent_level") is not None:
        qs = qs.filter(intent_level=filters["intent_level"])
    if filters.get("created_at__gte"):
        qs = qs.filter(created_at__date__gte=filters["created_at__gte"])
    if filters.get("created_at__lte"):
        qs = qs.filter(created_at__date__lte=filters["created_at__lte"])
    return qs.select_related("customer", "author")


def annotation_get(*, user: User, pk: int) -> CallAnnotation:
    found = annotation_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# ---------------------------------------------------------------- talk scripts


def talk_script_list(*, user: User, filters: dict | None = None) -> QuerySet[TalkScript]:
    """Company-wide guidance: every signed-in user reads it."""
    filters = filters or {}
    qs = TalkScript.objects.all()
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("active"):
        qs = qs.filter(is_active=True)
    return qs


def talk_script_get(*, user: User, pk: int) -> TalkScript:
    found = TalkScript.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# ---------------------------------------------------------------- phone leases (seed 003 §6)


def daily_quota() -> int:
    value = parameter_get("call_daily_quota")
    return int(value if value is not None else PARAMETER_DEFAULTS.get("call_daily_quota", 30))


def lease_list(*, user: User, day: date | None = None, status: str | None = None) -> QuerySet[PhoneLease]:
    qs = PhoneLease.objects.filter(user_id=user.pk, day=day or today())
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("customer").order_by("status", "id")


def lease_used(*, user: User, day: date | None = None) -> int:
    return PhoneLease.objects.filter(user_id=user.pk, day=day or today(), status__in=HELD).count()


def lease_candidates(*, day: date) -> QuerySet[Customer]:
    """The pool's callable numbers: unclaimed, with a number, none reported invalid, not lent today."""
    invalid = InvalidPhone.objects.filter(customer_id=OuterRef("pk"), status=InvalidStatus.OPEN)
    leased = PhoneLease.objects.filter(customer_id=OuterRef("pk"), day=day, status__in=HELD)
    return (
        Customer.objects.filter(owner__isnull=True, deleted_at__isnull=True)
        .exclude(phone="", mobile="")
        .filter(~Exists(invalid), ~Exists(leased))
        # Numbers nobody has followed for longest come first.
        .order_by(F("last_followed_at").asc(nulls_first=True), "id")
    )


# ---------------------------------------------------------------- invalid numbers (ACT-6)


def invalid_phone_list(*, user: User, filters: dict | None = None) -> QuerySet[InvalidPhone]:
    filters = filters or {}
    # Reporters keep seeing what they reported (a leased pool number stays on their list).
    qs = InvalidPhone.objects.filter(Q(customer__in=customer_visible(user=user).values("pk")) | Q(marked_by_id=user.pk))
    for field in ("status", "reason"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("marked_by"):
        qs = qs.filter(marked_by_id=filters["marked_by"])
    if filters.get("customer"):
        qs = qs.filter(customer_id=filters["customer"])
    if filters.get("q"):
        qs = qs.filter(Q(phone__contains=filters["q"]) | Q(customer__name__icontains=filters["q"]))
    return qs.select_related("customer", "marked_by", "resolved_by")


def invalid_phone_stats(*, user: User, year: int, month: int) -> list[dict]:
    """ACT-6 count per rep: the numbers each person in the user's scope reported in the month."""
    scope = user_ids_in_scope(user)
    qs = InvalidPhone.objects.filter(created_at__year=year, created_at__month=month)
    if scope is not None:
        qs = qs.filter(marked_by_id__in=sorted(scope | user_subordinate_ids(user) | {user.pk}))
    rows = (
        qs.values("marked_by_id", "marked_by__name", "marked_by__username", "marked_by__department__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status=InvalidStatus.OPEN)),
            empty=Count("id", filter=Q(reason="empty")),
            wrong_person=Count("id", filter=Q(reason="wrong_person")),
            stopped=Count("id", filter=Q(reason="stopped")),
            other=Count("id", filter=Q(reason="other")),
        )
        .order_by("-total", "marked_by_id")
    )
    return [
        {
            "user": r["marked_by_id"],
            "user_name": r["marked_by__name"] or r["marked_by__username"],
            "department_name": r["marked_by__department__name"] or "",
            **{k: r[k] for k in ("total", "open", "empty", "wrong_person", "stopped", "other")},
        }
        for r in rows
    ]
