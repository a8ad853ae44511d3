"""Every read of opportunities and conflicts: visible exactly when their customer is (SAL-1, SAL-2)."""

from django.db.models import Q, QuerySet

from shoal.core.errors import NotFound
from shoal.customers.models import Customer
from shoal.customers.selectors import customer_access, customer_visible
from shoal.opportunities.models import Conflict, ConflictStatus, Opportunity, OpportunityEvent, PipelineStage
from shoal.org.models import User


def visible_customer_ids(user: User):
    """A sub-select of the customers ``user`` sees: every sales record hangs off one of them."""
    return customer_visible(user=user).values("pk")


def may_work(*, user: User, customer: Customer, owner_id: int | None) -> bool:
    """A sales record may be worked by its owner, or by whoever may edit its customer (owner, write
    share, managers over the customer's owner). Read-only sharees only look."""
    if owner_id is not None and owner_id == user.pk:
        return True
    return customer_access(user=user, customer=customer) in {"owner", "write"}


def stage_list(*, active_only: bool = False) -> QuerySet[PipelineStage]:
    qs = PipelineStage.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def opportunity_list(*, user: User, filters: dict | None = None) -> QuerySet[Opportunity]:
    qs = Opportunity.objects.filter(customer_id__in=visible_customer_ids(user))
    filters = filters or {}
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(customer__name__icontains=q))
    return qs.select_related("customer", "owner", "stage")


def opportunity_get(*, user: User, pk: int) -> Opportunity:
    found = opportunity_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def opportunity_events(*, opportunity: Opportunity) -> QuerySet[OpportunityEvent]:
    return opportunity.events.select_related("actor")


def conflict_list(*, user: User, view: str = "all") -> QuerySet[Conflict]:
    qs = Conflict.objects.filter(customer_id__in=visible_customer_ids(user))
    if view == "to_decide":
        qs = qs.filter(manager_id=user.pk, status=ConflictStatus.OPEN)
    elif view == "mine":
        qs = qs.filter(Q(incumbent_id=user.pk) | Q(challenger_id=user.pk))
    return qs.select_related("customer", "incumbent", "challenger", "manager", "winner", "resolved_by", "opportunity")


def conflict_get(*, user: User, pk: int) -> Conflict:
    found = conflict_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
