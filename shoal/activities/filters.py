"""Filters of the activity lists (API.md, Lists): validated, bad input → 400."""

import django_filters
from django.db.models import QuerySet

from shoal.activities.models import Channel, ContactPlan, Interaction, PlanStatus, ScheduleItem, Visit
from shoal.core.errors import InvalidInput
from shoal.org.models import Department

MAX_ID = 2**63 - 1


class _Department(django_filters.ModelChoiceFilter):
    """The department and every one below it (materialised path)."""

    def __init__(self, field_name: str, **kwargs):
        super().__init__(queryset=Department.objects.all(), method=self._filter, **kwargs)
        self._path_field = field_name

    def _filter(self, queryset, name, value):
        # The subtree's ids first (a handful), so the list filters on its own indexed column.
        subtree = list(Department.objects.filter(path__startswith=value.path).values_list("pk", flat=True))
        return queryset.filter(**{f"{self._path_field}_id__in": subtree})


class InteractionFilter(django_filters.FilterSet):
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    user = django_filters.NumberFilter(field_name="user_id", min_value=1, max_value=MAX_ID)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    department = _Department("department")
    occurred_at__gte = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_at__lte = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lte")
    q = django_filters.CharFilter(field_name="content", lookup_expr="icontains")

    class Meta:
        model = Interaction
        fields: list[str] = []


class ContactPlanFilter(django_filters.FilterSet):
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    user = django_filters.NumberFilter(field_name="user_id", min_value=1, max_value=MAX_ID)
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    planned_at__gte = django_filters.IsoDateTimeFilter(field_name="planned_at", lookup_expr="gte")
    planned_at__lte = django_filters.IsoDateTimeFilter(field_name="planned_at", lookup_expr="lte")
    q = django_filters.CharFilter(field_name="purpose", lookup_expr="icontains")

    class Meta:
        model = ContactPlan
        fields: list[str] = []


class ScheduleFilter(django_filters.FilterSet):
    user = django_filters.NumberFilter(field_name="user_id", min_value=1, max_value=MAX_ID)
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    done = django_filters.BooleanFilter()
    weight = django_filters.NumberFilter(min_value=1, max_value=3)
    approved = django_filters.BooleanFilter(field_name="approved_at", lookup_expr="isnull", exclude=True)
    # Items that overlap [from, to): the calendar asks for one day, week or month.
    start_at__lt = django_filters.IsoDateTimeFilter(field_name="start_at", lookup_expr="lt")
    end_at__gte = django_filters.IsoDateTimeFilter(field_name="end_at", lookup_expr="gte")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains")

    class Meta:
        model = ScheduleItem
        fields: list[str] = []


class VisitFilter(django_filters.FilterSet):
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    user = django_filters.NumberFilter(field_name="user_id", min_value=1, max_value=MAX_ID)
    department = _Department("user__department")  # the visitor's department
    visited_at__gte = django_filters.IsoDateTimeFilter(field_name="visited_at", lookup_expr="gte")
    visited_at__lte = django_filters.IsoDateTimeFilter(field_name="visited_at", lookup_expr="lte")
    intent_level_after = django_filters.NumberFilter(min_value=-1, max_value=4)
    q = django_filters.CharFilter(field_name="outcome", lookup_expr="icontains")

    class Meta:
        model = Visit
        fields: list[str] = []


def apply(filterset_class: type[django_filters.FilterSet], qs: QuerySet, params) -> QuerySet:
    data = {k: v for k, v in params.items() if k in filterset_class.base_filters}
    if not data:
        return qs
    filterset = filterset_class(data, queryset=qs)
    if not filterset.is_valid():
        errors = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return filterset.qs
