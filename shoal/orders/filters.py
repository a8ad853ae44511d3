"""SAL-4/5 list filters (one per listed column); bad input → 400."""

import django_filters
from django.db.models import Q

from shoal.core.errors import InvalidInput
from shoal.orders.models import Order, OrderStatus, PaymentStatus, Quote, QuoteStatus, ShippingStatus
from shoal.org.models import User

MAX_ID = 2**63 - 1


class QuoteFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(lookup_expr="icontains")
    title = django_filters.CharFilter(lookup_expr="icontains")
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    customer_name = django_filters.CharFilter(field_name="customer__name", lookup_expr="icontains")
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    status = django_filters.MultipleChoiceFilter(choices=QuoteStatus.choices)
    quote_date__gte = django_filters.DateFilter(field_name="quote_date", lookup_expr="gte")
    quote_date__lte = django_filters.DateFilter(field_name="quote_date", lookup_expr="lte")
    valid_until__gte = django_filters.DateFilter(field_name="valid_until", lookup_expr="gte")
    valid_until__lte = django_filters.DateFilter(field_name="valid_until", lookup_expr="lte")
    total__gte = django_filters.NumberFilter(field_name="total", lookup_expr="gte")
    total__lte = django_filters.NumberFilter(field_name="total", lookup_expr="lte")

    class Meta:
        model = Quote
        fields: list[str] = []


class OrderFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(lookup_expr="icontains")
    customer = django_filters.NumberFilter(field_name="customer_id", min_value=1, max_value=MAX_ID)
    customer_name = django_filters.CharFilter(field_name="customer__name", lookup_expr="icontains")
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    status = django_filters.MultipleChoiceFilter(choices=OrderStatus.choices)
    shipping_status = django_filters.MultipleChoiceFilter(choices=ShippingStatus.choices)
    payment_status = django_filters.MultipleChoiceFilter(choices=PaymentStatus.choices)
    order_date__gte = django_filters.DateFilter(field_name="order_date", lookup_expr="gte")
    order_date__lte = django_filters.DateFilter(field_name="order_date", lookup_expr="lte")
    total__gte = django_filters.NumberFilter(field_name="total", lookup_expr="gte")
    total__lte = django_filters.NumberFilter(field_name="total", lookup_expr="lte")
    quote = django_filters.NumberFilter(field_name="quote_id", min_value=1, max_value=MAX_ID)

    class Meta:
        model = Order
        fields: list[str] = []


def apply_filters(qs, params, filterset_class):
    if any(k in filterset_class.base_filters for k in params):
        filterset = filterset_class(params, queryset=qs)
        if not filterset.is_valid():
            errors = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
            raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
        qs = filterset.qs
    q = (params.get("q") or "").strip()
    if q:
        search = Q(number__icontains=q) | Q(customer__name__icontains=q) | Q(contact_name__icontains=q)
        if filterset_class is QuoteFilter:
            search |= Q(title__icontains=q)
        qs = qs.filter(search)
    return qs
