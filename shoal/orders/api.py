"""SAL-4 quotes and SAL-5 orders API: parse, call a service or selector, render. No rules here."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import current_on_stale
from shoal.core.pagination import PageNumberPagination
from shoal.core.versioning import versioned_input
from shoal.orders import selectors, services
from shoal.orders.filters import OrderFilter, QuoteFilter, apply_filters
from shoal.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    Quote,
    QuoteLine,
    QuoteStatus,
    Receipt,
    Shipment,
    ShipmentLine,
    ShippingStatus,
)
from shoal.orders.permissions import Permission


class Ordering(OrderingFilter):
    """Any listed column; ties broken by id so pages never overlap."""

    ALIASES = {"customer_name": "customer__name", "owner_name": "owner__name"}

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view) or ["-id"]
        mapped = []
        for term in ordering:
            name = term.lstrip("-")
            mapped.append(("-" if term.startswith("-") else "") + self.ALIASES.get(name, name))
        if not any(t.lstrip("-") == "id" for t in mapped):
            mapped.append("-id")
        return mapped


# ---------------------------------------------------------------- lines

LINE_OUT = [
    "id",
    "position",
    "product",
    "product_code",
    "product_name",
    "spec",
    "unit",
    "quantity",
    "unit_price",
    "unit_cost",
    "discount_rate",
    "discount_amount",
    "is_gift",
    "remarks",
    "amount",
    "discount",
    "total",
    "cost",
    "profit",
]


class QuoteLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = LINE_OUT
        read_only_fields = fields


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [*LINE_OUT, "shipped_quantity"]
        read_only_fields = fields


class LineInputSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="default: the list price"
    )
    discount_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, help_text="percent, 0–100"
    )
    discount_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    is_gift = serializers.BooleanField(required=False, default=False)
    spec = serializers.CharField(max_length=100, required=False, allow_blank=True)
    remarks = serializers.CharField(max_length=200, required=False, allow_blank=True)


def _lines(data) -> list[dict]:
    return [dict(line) for line in data]


# ---------------------------------------------------------------- quotes

MONEY = ["subtotal", "discount", "total", "cost", "profit"]


class QuoteSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    order = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id",
            "number",
            "customer",
            "customer_name",
            "owner",
            "owner_name",
            "title",
            "contact_name",
            "quote_date",
            "valid_until",
            "status",
            *MONEY,
            "order",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_order(self, obj) -> int | None:
        """The order this quote became (转为订单), if any."""
        try:
            return obj.order.pk
        except ObjectDoesNotExist:
            return None


class QuoteDetailSerializer(QuoteSerializer):
    lines = QuoteLineSerializer(many=True, read_only=True)
    company_name = serializers.SerializerMethodField()

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "terms", "remarks", "status_reason", "lines", "company_name"]
        read_only_fields = fields

    def get_company_name(self, obj) -> str:
        """The seller printed in the quote's header (the company: the top department)."""
        return selectors.company_name()


class QuoteInputSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    quote_date = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    terms = serializers.CharField(required=False, allow_blank=True)
    remarks = serializers.CharField(required=False, allow_blank=True)
    lines = LineInputSerializer(many=True)


class QuoteUpdateSerializer(QuoteInputSerializer):
    customer = None
    lines = LineInputSerializer(many=True, required=False)
    version = serializers.IntegerField(min_value=1)


class ReasonBatchSerializer(IdsSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HistorySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="history_id")
    at = serializers.DateTimeField(source="history_date")
    actor_name = serializers.SerializerMethodField()
    action = serializers.CharField(source="history_change_reason", allow_null=True)
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    version = serializers.IntegerField()

    def get_actor_name(self, obj) -> str | None:
        return obj.history_user.display_name if obj.history_user_id else None


# ---------------------------------------------------------------- orders


class OrderSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    quote_number = serializers.CharField(source="quote.number", read_only=True, default=None)
    balance = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "customer",
            "customer_name",
            "owner",
            "owner_name",
            "quote",
            "quote_number",
            "contact_name",
            "order_date",
            "delivery_date",
            "status",
            "shipping_status",
            "payment_status",
            *MONEY,
            "received",
            "balance",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_balance(self, obj) -> str:
        """Still to be received: total − received."""
        return f"{obj.total - obj.received:.2f}"


class ShipmentLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="order_line.product_name", read_only=True)
    spec = serializers.CharField(source="order_line.spec", read_only=True)

    class Meta:
        model = ShipmentLine
        fields = ["id", "order_line", "product_name", "spec", "quantity"]
        read_only_fields = fields


class ShipmentSerializer(serializers.ModelSerializer):
    lines = ShipmentLineSerializer(many=True, read_only=True)
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True, default=None)

    class Meta:
        model = Shipment
        fields = ["id", "shipped_on", "tracking_number", "remarks", "lines", "created_at", "created_by_name"]
        read_only_fields = fields


class ReceiptSerializer(serializers.ModelSerializer):
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True, default=None)

    class Meta:
        model = Receipt
        fields = ["id", "amount", "received_on", "method", "remarks", "created_at", "created_by_name"]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    shipments = ShipmentSerializer(many=True, read_only=True)
    receipts = ReceiptSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "delivery_address",
            "remarks",
            "cancel_reason",
            "cancelled_at",
            "lines",
            "shipments",
            "receipts",
        ]
        read_only_fields = fields


class OrderInputSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    order_date = serializers.DateField(required=False)
    delivery_date = serializers.DateField(required=False, allow_null=True)
    delivery_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    remarks = serializers.CharField(required=False, allow_blank=True)
    lines = LineInputSerializer(many=True)


class OrderUpdateSerializer(OrderInputSerializer):
    customer = None
    lines = LineInputSerializer(many=True, required=False)
    version = serializers.IntegerField(min_value=1)


class CancelSerializer(IdsSerializer):
    reason = serializers.CharField(max_length=500)


class ShipmentLineInputSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)


class ShipmentInputSerializer(serializers.Serializer):
    shipped_on = serializers.DateField()
    tracking_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    lines = ShipmentLineInputSerializer(many=True)


class ReceiptInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    received_on = serializers.DateField()
    method = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


QUOTE_PARAMETERS = [
    OpenApiParameter("q", str, description="number, customer, contact or title contains"),
    OpenApiParameter("customer", int),
    OpenApiParameter("customer_name", str),
    OpenApiParameter("number", str),
    OpenApiParameter("title", str),
    OpenApiParameter("owner", int),
    OpenApiParameter("status", str, enum=QuoteStatus.values, many=True),
    OpenApiParameter("quote_date__gte", str),
    OpenApiParameter("quote_date__lte", str),
    OpenApiParameter("valid_until__gte", str),
    OpenApiParameter("valid_until__lte", str),
    OpenApiParameter("total__gte", float),
    OpenApiParameter("total__lte", float),
    OpenApiParameter("ordering", str, description="any listed column, '-' for descending"),
]


class QuoteViewSet(viewsets.GenericViewSet):
    pagination_class = PageNumberPagination
    filter_backends = [Ordering]
    ordering_fields = [
        "id",
        "number",
        "customer_name",
        "owner_name",
        "title",
        "quote_date",
        "valid_until",
        "status",
        *MONEY,
        "created_at",
        "updated_at",
    ]
    serializer_class = QuoteSerializer
    required_permissions = {"*": Permission.VIEW, "list": Permission.VIEW, "retrieve": Permission.VIEW}
    for _verb in ("create", "partial_update", "send", "accept", "reject", "convert", "delete_"):
        required_permissions[_verb] = Permission.EDIT

    def get_queryset(self):
        return apply_filters(selectors.quote_list(user=self.request.user), self.request.query_params, QuoteFilter)

    def _detail(self, pk) -> dict:
        return QuoteDetailSerializer(selectors.quote_get(user=self.request.user, pk=pk)).data

    @extend_schema(parameters=QUOTE_PARAMETERS)
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).select_related("order"))
        return self.get_paginated_response(QuoteSerializer(page, many=True).data)

    @extend_schema(responses={200: QuoteDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        request=QuoteInputSerializer,
        responses={201: QuoteDetailSerializer},
        description="SAL-4 新建报价. Errors: 404 customer not visible; 403 read_only; 400 invalid / "
        "discount_exceeds_amount / product_inactive (fields `lines[i].…`).",
    )
    def create(self, request):
        data = QuoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        quote = services.quote_create(
            actor=request.user, customer_id=values.pop("customer"), data=values, lines=_lines(values.pop("lines"))
        )
        return Response(self._detail(quote.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=QuoteUpdateSerializer,
        responses={200: QuoteDetailSerializer},
        description="SAL-4 edit (draft or sent); `lines` replaces every line. Errors: 400 as on create; 403 "
        "read_only; 409 invalid_status; 409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        quote = selectors.quote_get(user=request.user, pk=pk)
        values, version = versioned_input(QuoteUpdateSerializer, request.data)
        lines = _lines(values.pop("lines")) if "lines" in values else None
        with current_on_stale(lambda: self._detail(pk)):
            services.quote_update(actor=request.user, quote=quote, version=version, data=values, lines=lines)
        return Response(self._detail(pk))

    def _move(self, verb):
        data = ReasonBatchSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        result = services.quote_set_status(
            actor=self.request.user, ids=data.validated_data["ids"], verb=verb, reason=data.validated_data["reason"]
        )
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(
        description="SAL-4 发送 (draft → sent). Failure codes per id: not_found, read_only, invalid_status.",
        request=ReasonBatchSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def send(self, request):
        return self._move("send")

    @extend_schema(
        description="SAL-4 接受 (draft/sent → accepted). Failure codes: not_found, read_only, invalid_status.",
        request=ReasonBatchSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def accept(self, request):
        return self._move("accept")

    @extend_schema(
        description="SAL-4 拒绝 (draft/sent → rejected) with an optional reason. Failure codes: not_found, "
        "read_only, invalid_status.",
        request=ReasonBatchSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def reject(self, request):
        return self._move("reject")

    @extend_schema(
        description="SAL-4 删除 (soft) drafts and rejected quotes that never became an order. Failure codes per "
        "id: not_found, read_only, invalid_status.",
        request=ReasonBatchSerializer,
        responses={200: BatchResultSerializer},
        operation_id="quotes_delete",
    )
    @action(detail=False, methods=["post"], url_path="delete", url_name="delete")
    def delete_(self, request):
        data = ReasonBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.quote_delete(
            actor=request.user, ids=data.validated_data["ids"], reason=data.validated_data["reason"]
        )
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(
        request=None,
        responses={201: OrderDetailSerializer},
        description="SAL-4/5 转为订单: an accepted quote becomes an order with its lines, once. Errors: 403 "
        "read_only; 409 invalid_status (not accepted); 409 already_converted.",
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        quote = selectors.quote_get(user=request.user, pk=pk)
        order = services.quote_convert(actor=request.user, quote=quote)
        return Response(
            OrderDetailSerializer(selectors.order_get(user=request.user, pk=order.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={200: HistorySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        quote = selectors.quote_get(user=request.user, pk=pk)
        return Response(
            HistorySerializer(selectors.document_history(user=request.user, document=quote), many=True).data
        )


ORDER_PARAMETERS = [
    OpenApiParameter("q", str, description="number, customer or contact contains"),
    OpenApiParameter("customer", int),
    OpenApiParameter("customer_name", str),
    OpenApiParameter("number", str),
    OpenApiParameter("owner", int),
    OpenApiParameter("quote", int),
    OpenApiParameter("status", str, enum=OrderStatus.values, many=True),
    OpenApiParameter("shipping_status", str, enum=ShippingStatus.values, many=True),
    OpenApiParameter("payment_status", str, enum=PaymentStatus.values, many=True),
    OpenApiParameter("order_date__gte", str),
    OpenApiParameter("order_date__lte", str),
    OpenApiParameter("total__gte", float),
    OpenApiParameter("total__lte", float),
    OpenApiParameter("ordering", str, description="any listed column, '-' for descending"),
]


class OrderViewSet(viewsets.GenericViewSet):
    pagination_class = PageNumberPagination
    filter_backends = [Ordering]
    ordering_fields = [
        "id",
        "number",
        "customer_name",
        "owner_name",
        "order_date",
        "delivery_date",
        "status",
        "shipping_status",
        "payment_status",
        *MONEY,
        "received",
        "created_at",
        "updated_at",
    ]
    serializer_class = OrderSerializer
    required_permissions = {"*": Permission.VIEW}
    for _verb in ("create", "partial_update", "cancel", "shipments", "receipts"):
        required_permissions[_verb] = Permission.EDIT

    def get_queryset(self):
        return apply_filters(selectors.order_list(user=self.request.user), self.request.query_params, OrderFilter)

    def _detail(self, pk) -> dict:
        return OrderDetailSerializer(selectors.order_get(user=self.request.user, pk=pk)).data

    @extend_schema(parameters=ORDER_PARAMETERS)
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(OrderSerializer(page, many=True).data)

    @extend_schema(responses={200: OrderDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        request=OrderInputSerializer,
        responses={201: OrderDetailSerializer},
        description="SAL-5 新建订单. Errors: 404 customer not visible; 403 read_only; 400 invalid / "
        "discount_exceeds_amount / product_inactive (fields `lines[i].…`).",
    )
    def create(self, request):
        data = OrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        order = services.order_create(
            actor=request.user, customer_id=values.pop("customer"), data=values, lines=_lines(values.pop("lines"))
        )
        return Response(self._detail(order.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OrderUpdateSerializer,
        responses={200: OrderDetailSerializer},
        description="SAL-5 edit; `lines` replaces every line (only before anything is shipped). Errors: 400 as "
        "on create; 403 read_only; 409 order_cancelled / order_shipped / below_received; 409 stale_version.",
    )
    def partial_update(self, request, pk=None):
        order = selectors.order_get(user=request.user, pk=pk)
        values, version = versioned_input(OrderUpdateSerializer, request.data)
        lines = _lines(values.pop("lines")) if "lines" in values else None
        with current_on_stale(lambda: self._detail(pk)):
            services.order_update(actor=request.user, order=order, version=version, data=values, lines=lines)
        return Response(self._detail(pk))

    @extend_schema(
        description="SAL-5 取消 with a reason; the order is kept. Failure codes per id: not_found, read_only, "
        "order_cancelled, order_in_progress (shipped or paid).",
        request=CancelSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def cancel(self, request):
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.order_cancel(
            actor=request.user, ids=data.validated_data["ids"], reason=data.validated_data["reason"]
        )
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(
        request=ShipmentInputSerializer,
        responses={201: OrderDetailSerializer},
        description="SAL-5 发货: quantities of some lines. Errors: 400 invalid; 403 read_only; 409 over_shipment "
        "(more than is left to ship; nothing is recorded); 409 order_cancelled.",
    )
    @action(detail=True, methods=["post"])
    def shipments(self, request, pk=None):
        order = selectors.order_get(user=request.user, pk=pk)
        data = ShipmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.shipment_record(
            actor=request.user,
            order=order,
            shipped_on=values["shipped_on"],
            lines=_lines(values["lines"]),
            tracking_number=values["tracking_number"],
            remarks=values["remarks"],
        )
        return Response(self._detail(pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReceiptInputSerializer,
        responses={201: OrderDetailSerializer},
        description="SAL-5 收款 against the order. Errors: 400 invalid; 403 read_only; 409 overpayment (more "
        "than the balance); 409 order_cancelled.",
    )
    @action(detail=True, methods=["post"])
    def receipts(self, request, pk=None):
        order = selectors.order_get(user=request.user, pk=pk)
        data = ReceiptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.receipt_record(actor=request.user, order=order, **data.validated_data)
        return Response(self._detail(pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: HistorySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        order = selectors.order_get(user=request.user, pk=pk)
        return Response(
            HistorySerializer(selectors.document_history(user=request.user, document=order), many=True).data
        )
