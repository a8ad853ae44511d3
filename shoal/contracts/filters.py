"""SAL-6/7 list filters: one per listed column, validated (bad input → 400)."""

import django_filters

from shoal.contracts.models import (
    CollectionTask,
    Contract,
    ContractStatus,
    Payment,
    PaymentPlan,
    PlanStatus,
    TaskStatus,
)

MAX_ID = 2**63 - 1


def _id(field: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field, min_value=1, max_value=MAX_ID)


class ContractFilter(django_filters.FilterSet):
    customer = _id("customer_id")
    owner = _id("owner_id")
    opportunity = _id("opportunity_id")
    status = django_filters.MultipleChoiceFilter(choices=ContractStatus.choices)
    number = django_filters.CharFilter(lookup_expr="icontains")
    signed_on__gte = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_on__lte = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte")
    ends_on__gte = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte")
    ends_on__lte = django_filters.DateFilter(field_name="ends_on", lookup_expr="lte")

    class Meta:
        model = Contract
        fields: list[str] = []


class PlanFilter(django_filters.FilterSet):
    customer = _id("customer_id")
    contract = _id("contract_id")
    owner = _id("owner_id")
    status = django_filters.MultipleChoiceFilter(choices=PlanStatus.choices)
    is_overdue = django_filters.BooleanFilter()
    due_on__gte = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_on__lte = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = PaymentPlan
        fields: list[str] = []


class PaymentFilter(django_filters.FilterSet):
    customer = _id("customer_id")
    contract = _id("contract_id")
    plan = _id("plan_id")
    received_on__gte = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_on__lte = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Payment
        fields: list[str] = []


class TaskFilter(django_filters.FilterSet):
    customer = _id("customer_id")
    owner = _id("owner_id")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    due_on__gte = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_on__lte = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = CollectionTask
        fields: list[str] = []
