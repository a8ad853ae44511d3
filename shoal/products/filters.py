"""SAL-3 product list filters (one per listed column); bad input → 400."""

import django_filters

from shoal.core.errors import InvalidInput
from shoal.products.models import Product, ProductCategory
from shoal.products.selectors import category_subtree_ids, product_search

MAX_ID = 2**63 - 1


class ProductFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="icontains")
    name = django_filters.CharFilter(lookup_expr="icontains")
    spec = django_filters.CharFilter(lookup_expr="icontains")
    unit = django_filters.CharFilter()
    is_active = django_filters.BooleanFilter()
    category = django_filters.ModelChoiceFilter(queryset=ProductCategory.objects.all(), method="filter_category")
    list_price__gte = django_filters.NumberFilter(field_name="list_price", lookup_expr="gte")
    list_price__lte = django_filters.NumberFilter(field_name="list_price", lookup_expr="lte")

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_category(self, queryset, name, value):
        # a category and everything below it
        return queryset.filter(category_id__in=category_subtree_ids(value.pk))


def apply_filters(qs, params):
    data = {k: v for k, v in params.items() if k in ProductFilter.base_filters}
    if data:
        filterset = ProductFilter(data, queryset=qs)
        if not filterset.is_valid():
            errors = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
            raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
        qs = filterset.qs
    if params.get("q"):
        qs = product_search(qs, params["q"])
    return qs
