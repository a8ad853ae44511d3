"""Every read of contracts, receivables, payments and collection tasks: visible exactly when their
customer is (SAL-6, SAL-7)."""

from django.db.models import Q, QuerySet

from shoal.contracts.models import CollectionTask, Contract, ContractEvent, Payment, PaymentPlan
from shoal.core.errors import NotFound
from shoal.opportunities.selectors import visible_customer_ids
from shoal.org.models import User


def _one(qs, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def contract_list(*, user: User, filters: dict | None = None) -> QuerySet[Contract]:
    qs = Contract.objects.filter(customer_id__in=visible_customer_ids(user))
    q = ((filters or {}).get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(customer__name__icontains=q))
    return qs.select_related("customer", "owner", "opportunity", "order")


def contract_get(*, user: User, pk: int) -> Contract:
    return _one(contract_list(user=user), pk)


def contract_events(*, contract: Contract) -> QuerySet[ContractEvent]:
    return contract.events.select_related("actor")


def plan_list(*, user: User) -> QuerySet[PaymentPlan]:
    return PaymentPlan.objects.filter(customer_id__in=visible_customer_ids(user)).select_related(
        "contract", "customer", "owner", "written_off_by"
    )


def plan_get(*, user: User, pk: int) -> PaymentPlan:
    return _one(plan_list(user=user), pk)


def payment_list(*, user: User) -> QuerySet[Payment]:
    return Payment.objects.filter(customer_id__in=visible_customer_ids(user)).select_related(
        "plan", "contract", "customer", "created_by"
    )


def payment_get(*, user: User, pk: int) -> Payment:
    return _one(payment_list(user=user), pk)


def task_list(*, user: User) -> QuerySet[CollectionTask]:
    return CollectionTask.objects.filter(customer_id__in=visible_customer_ids(user)).select_related(
        "plan", "plan__contract", "customer", "owner"
    )
