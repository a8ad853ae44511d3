"""SAL-1/2 list filters: one per listed column, validated (bad input → 400)."""

import django_filters

from shoal.opportunities.models import Conflict, ConflictStatus, Opportunity, StageKind

MAX_ID = 2**63 - 1


class OpportunityFilter(django_filters.FilterSet):
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    owner = django_filters.NumberFilter(field_name="owner_id", min_value=1, max_value=MAX_ID)
    stage = django_filters.NumberFilter(field_name="stage_id", min_value=1, max_value=MAX_ID)
    status = django_filters.ChoiceFilter(choices=StageKind.choices)
    source = django_filters.CharFilter()
    title = django_filters.CharFilter(lookup_expr="icontains")
    expected_close_date__gte = django_filters.DateFilter(field_name="expected_close_date", lookup_expr="gte")
    expected_close_date__lte = django_filters.DateFilter(field_name="expected_close_date", lookup_expr="lte")
    expected_amount__gte = django_filters.NumberFilter(field_name="expected_amount", lookup_expr="gte")
    expected_amount__lte = django_filters.NumberFilter(field_name="expected_amount", lookup_expr="lte")

    class Meta:
        model = Opportunity
        fields: list[str] = []


class ConflictFilter(django_filters.FilterSet):
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    status = django_filters.ChoiceFilter(choices=ConflictStatus.choices)

    class Meta:
        model = Conflict
        fields: list[str] = []
