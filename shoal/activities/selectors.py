"""Every read of activities that depends on who asks. Records on a customer follow the customer's one
visibility rule (``customer_visible``); schedule items are seen by their owner and the owner's
superiors (ORG-7)."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from shoal.activities.models import ContactPlan, Interaction, PlanStatus, ScheduleComment, ScheduleItem, Visit
from shoal.core.errors import NotFound
from shoal.customers.models import Customer
from shoal.customers.selectors import Visibility, customer_access
from shoal.org.models import User
from shoal.org.selectors import user_subordinate_ids

# Up to this many visible customers (a rep's own and shared ones) are inlined as a list of ids, so
# PostgreSQL filters the newest-first index scan with a hashed ``= ANY`` and counts from the customer
# index; beyond it (managers of big departments) the ids stay a sub-select.
INLINE_CUSTOMER_IDS = 5_000


def _on_visible_customers(qs: QuerySet, user: User) -> QuerySet:
    """Rows whose customer ``user`` sees (and that is not deleted), built from indexed pieces rather
    than a join per row: measured at 5M interactions, a join probing customers for every scanned
    row cost a rep 200 ms a page (docs/decisions.md)."""
    q = Visibility(user).q()
    if q is None:
        # Everyone's: a page probes only its own rows' customers (deleted ones are left out).
        return qs.filter(customer__deleted_at__isnull=True)
    visible = Customer.objects.filter(q, deleted_at__isnull=True).order_by()
    ids = list(visible.values_list("pk", flat=True)[: INLINE_CUSTOMER_IDS + 1])
    if len(ids) <= INLINE_CUSTOMER_IDS:
        return qs.filter(customer_id__in=ids)
    return qs.filter(customer_id__in=visible.values("pk"))


def may_log_activity(*, user: User, customer: Customer) -> bool:
    """ACT-1: the owner, sharees with write access and superiors in scope may add records; read-only
    sharees only read them."""
    if customer_access(user=user, customer=customer) in {"owner", "write"}:
        return True
    return customer.owner_id is not None and customer.owner_id in user_subordinate_ids(user)


# ---------------------------------------------------------------- interactions (ACT-1)


def interaction_list(*, user: User) -> QuerySet[Interaction]:
    qs = Interaction.objects.select_related("customer", "user", "department", "contact")
    return _on_visible_customers(qs, user)


def interaction_rows(ids: list[int]) -> dict[int, Interaction]:
    """The rows of a page whose ids came from ``interaction_list`` (already checked)."""
    return Interaction.objects.select_related("customer", "user", "department", "contact").in_bulk(ids)


def interaction_get(*, user: User, pk: int) -> Interaction:
    found = interaction_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# ---------------------------------------------------------------- contact plans (ACT-2)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def contact_plan_list(*, user: User, due: str | None = None, now: datetime | None = None) -> QuerySet[ContactPlan]:
    """``due``: today (open, planned today) · overdue (open, planned before now) · coming (open,
    after today) · done (done or cancelled)."""
    qs = _on_visible_customers(ContactPlan.objects.select_related("customer", "contact", "user"), user)
    now = now or timezone.now()
    start, end = day_bounds(now)
    if due == "today":
        qs = qs.filter(status=PlanStatus.OPEN, planned_at__gte=start, planned_at__lt=end)
    elif due == "overdue":
        qs = qs.filter(status=PlanStatus.OPEN, planned_at__lt=now)
    elif due == "coming":
        qs = qs.filter(status=PlanStatus.OPEN, planned_at__gte=end)
    elif due == "finished":
        qs = qs.exclude(status=PlanStatus.OPEN)
    return qs


def contact_plan_get(*, user: User, pk: int) -> ContactPlan:
    found = contact_plan_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def contact_plan_counts(*, user: User, now: datetime | None = None) -> dict[str, int]:
    """The tab badges of 我的计划: the user's own open plans."""
    now = now or timezone.now()
    start, end = day_bounds(now)
    mine = contact_plan_list(user=user).filter(user=user, status=PlanStatus.OPEN)
    return {
        "today": mine.filter(planned_at__gte=start, planned_at__lt=end).count(),
        "overdue": mine.filter(planned_at__lt=now).count(),
        "coming": mine.filter(planned_at__gte=end).count(),
    }


# ---------------------------------------------------------------- schedule (ACT-3, ORG-7)


def schedule_owner_ids(user: User) -> set[int]:
    """Whose schedule ``user`` sees: their own and everyone below them in the superior chain."""
    return {user.pk} | user_subordinate_ids(user)


def schedule_list(*, user: User) -> QuerySet[ScheduleItem]:
    return ScheduleItem.objects.filter(user_id__in=sorted(schedule_owner_ids(user))).select_related(
        "user", "customer", "approved_by"
    )


def schedule_get(*, user: User, pk: int) -> ScheduleItem:
    found = schedule_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def schedule_comments(*, user: User, item: ScheduleItem) -> QuerySet[ScheduleComment]:
    return item.comments.select_related("author")


def is_superior_of(user: User, owner_id: int) -> bool:
    return owner_id in user_subordinate_ids(user)


# ---------------------------------------------------------------- visits (ACT-5)


def visit_list(*, user: User) -> QuerySet[Visit]:
    qs = Visit.objects.select_related("customer", "user", "plan").prefetch_related("contacts", "companions")
    return _on_visible_customers(qs, user)


def visit_get(*, user: User, pk: int) -> Visit:
    found = visit_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def overdue_q(now: datetime) -> Q:
    """ACT-3: shown red — not done and already past its end."""
    return Q(done=False, end_at__lt=now)
