"""CUS-7 combined (advanced) query: one filter per listed column, validated; bad input → 400."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from shoal.core.errors import InvalidInput
from shoal.customers.models import Classification, Customer, IntentLevel, Stage
from shoal.org.models import Department, User

MAX_ID = 2**63 - 1  # larger ids overflow SQLite's integers: a 400, not a 500


class CustomerFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    short_name = django_filters.CharFilter(lookup_expr="icontains")
    category = django_filters.CharFilter()
    industry = django_filters.CharFilter()
    level = django_filters.CharFilter()
    source = django_filters.CharFilter()
    stage = django_filters.ModelChoiceFilter(queryset=Stage.objects.all(), to_field_name="code")
    stage_id = django_filters.NumberFilter(field_name="stage_id", min_value=1, max_value=MAX_ID)
    intent_level = django_filters.TypedChoiceFilter(choices=IntentLevel.choices, coerce=int)
    classification = django_filters.ChoiceFilter(choices=Classification.choices, method="filter_classification")
    province = django_filters.CharFilter()
    city = django_filters.CharFilter()
    district = django_filters.CharFilter()
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    claimed = django_filters.BooleanFilter(field_name="owner", lookup_expr="isnull", exclude=True)
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), method="filter_department")
    created_by = django_filters.NumberFilter(field_name="created_by_id", min_value=1, max_value=MAX_ID)
    primary_contact_name = django_filters.CharFilter(lookup_expr="icontains")
    mobile = django_filters.CharFilter(method="filter_mobile")
    tag = django_filters.NumberFilter(method="filter_tag", min_value=1, max_value=MAX_ID)
    created_at__gte = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_at__lte = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")
    updated_at__gte = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_at__lte = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="lte")
    claimed_at__gte = django_filters.IsoDateTimeFilter(field_name="claimed_at", lookup_expr="gte")
    claimed_at__lte = django_filters.IsoDateTimeFilter(field_name="claimed_at", lookup_expr="lte")
    last_followed_at__gte = django_filters.IsoDateTimeFilter(field_name="last_followed_at", lookup_expr="gte")
    last_followed_at__lte = django_filters.IsoDateTimeFilter(field_name="last_followed_at", lookup_expr="lte")
    # CUS-1 pool rules: the customer's pool, and "goes back to the pool by …" (the countdown).
    pool = django_filters.NumberFilter(method="filter_pool", min_value=1, max_value=MAX_ID)
    return_due_at__lte = django_filters.IsoDateTimeFilter(field_name="return_due_at", lookup_expr="lte")

    class Meta:
        model = Customer
        fields: list[str] = []

    def filter_classification(self, queryset, name, value):
        from shoal.customers.selectors import _month_start

        start = _month_start(timezone.now())
        new = Q(follow_run_started_at__isnull=True) | Q(follow_run_started_at__gte=start)
        return queryset.filter(new) if value == Classification.NEW else queryset.exclude(new)

    def filter_department(self, queryset, name, value):
        # The owner's department or any below it.
        return queryset.filter(owner__department__path__startswith=value.path)

    def filter_tag(self, queryset, name, value):
        from shoal.customers.models import CustomerTag

        return queryset.filter(pk__in=CustomerTag.objects.filter(tag_id=value).values("customer_id"))

    def filter_pool(self, queryset, name, value):
        from shoal.pools.selectors import customers_in_pools_q, default_pool

        return queryset.filter(customers_in_pools_q({int(value)}, default_pool().pk))

    def filter_mobile(self, queryset, name, value):
        return queryset.filter(Q(mobile__contains=value) | Q(primary_contact_mobile__contains=value))


# CUS-1: the pool filters only on what it shows — a filter on a private field would reveal that field
# a character at a time. Filter → the public field it needs (None: claim status, always shown).
POOL_FILTERS: dict[str, str | None] = {
    "name": "name",
    "short_name": "short_name",
    "category": "category",
    "industry": "industry",
    "level": "level",
    "source": "source",
    "stage": "stage",
    "stage_id": "stage",
    "intent_level": "intent_level",
    "province": "province",
    "city": "city",
    "district": "district",
    "claimed": None,
    "owner": None,
    "pool": None,
    "created_at__gte": "created_at",
    "created_at__lte": "created_at",
}


def apply_filters(qs: QuerySet[Customer], params, *, public: list[str] | None = None) -> QuerySet[Customer]:
    """``public``: the pool's public fields (filters on other fields are ignored there)."""
    from shoal.customers.selectors import customer_pool_search, customer_search

    data = {k: v for k, v in params.items() if k in CustomerFilter.base_filters}
    if public is not None:
        data = {k: v for k, v in data.items() if k in POOL_FILTERS and POOL_FILTERS[k] in (None, *public)}
    if data:  # a FilterSet deep-copies all its filters: only pay for it when filtering
        filterset = CustomerFilter(data, queryset=qs)
        if not filterset.is_valid():
            errors = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
            raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
        qs = filterset.qs
    q = params.get("q")
    if q and public is not None:
        qs = customer_pool_search(qs, q, public)
    elif q:
        qs = customer_search(qs, q)
    return qs
