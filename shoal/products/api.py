"""SAL-3 products API: parse, call a service or selector, render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import current_on_stale
from shoal.core.pagination import PageNumberPagination
from shoal.core.versioning import versioned_input
from shoal.products import selectors, services
from shoal.products.filters import apply_filters
from shoal.products.models import Product, ProductCategory
from shoal.products.permissions import Permission

VIEW = "sales.view"


class Ordering(OrderingFilter):
    """Any listed column; ties broken by id so pages never overlap."""

    ALIASES = {"category": "category__name", "category_name": "category__name"}

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view) or ["code"]
        mapped = []
        for term in ordering:
            name = term.lstrip("-")
            mapped.append(("-" if term.startswith("-") else "") + self.ALIASES.get(name, name))
        if not any(t.lstrip("-") == "id" for t in mapped):
            mapped.append("id")
        return mapped


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "name", "parent", "position"]


class ProductSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)
    margin = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "spec",
            "unit",
            "list_price",
            "cost",
            "margin",
            "category",
            "category_name",
            "is_active",
            "remarks",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_margin(self, obj) -> str:
        """List price minus cost: the profit of one unit sold at list price."""
        return f"{obj.list_price - obj.cost:.2f}"


class ProductInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=100)
    spec = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    list_price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    cost = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)
    remarks = serializers.CharField(required=False, allow_blank=True)


class ProductUpdateSerializer(ProductInputSerializer):
    version = serializers.IntegerField(min_value=1)


class ActiveSerializer(IdsSerializer):
    active = serializers.BooleanField()


LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="code, name or model/spec contains"),
    OpenApiParameter("code", str),
    OpenApiParameter("name", str),
    OpenApiParameter("spec", str),
    OpenApiParameter("unit", str),
    OpenApiParameter("is_active", bool),
    OpenApiParameter("category", int, description="the category and those below it"),
    OpenApiParameter("list_price__gte", float),
    OpenApiParameter("list_price__lte", float),
    OpenApiParameter("ordering", str, description="any listed column, '-' for descending"),
]


class ProductViewSet(viewsets.GenericViewSet):
    pagination_class = PageNumberPagination
    filter_backends = [Ordering]
    ordering_fields = ["id", "code", "name", "spec", "unit", "list_price", "cost", "category", "is_active"]
    serializer_class = ProductSerializer
    required_permissions = {
        "*": VIEW,
        "create": Permission.MANAGE_PRODUCTS,
        "partial_update": Permission.MANAGE_PRODUCTS,
        "set_active": Permission.MANAGE_PRODUCTS,
    }

    def get_queryset(self):
        return apply_filters(selectors.product_list(user=self.request.user), self.request.query_params)

    @extend_schema(parameters=LIST_PARAMETERS)
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ProductSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ProductSerializer(selectors.product_get(user=request.user, pk=pk)).data)

    @extend_schema(
        request=ProductInputSerializer,
        responses={201: ProductSerializer},
        description="SAL-3. Errors: 400 invalid / duplicate_code (fields.code).",
    )
    def create(self, request):
        data = ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(actor=request.user, data=dict(data.validated_data))
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProductUpdateSerializer,
        responses={200: ProductSerializer},
        description="SAL-3 edit. Errors: 400 invalid / duplicate_code; 409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        product = selectors.product_get(user=request.user, pk=pk)
        values, version = versioned_input(ProductUpdateSerializer, request.data)
        current = lambda: ProductSerializer(selectors.product_get(user=request.user, pk=pk)).data  # noqa: E731
        with current_on_stale(current):
            services.product_update(actor=request.user, product=product, version=version, data=values)
        return Response(ProductSerializer(selectors.product_get(user=request.user, pk=pk)).data)

    @extend_schema(
        description="SAL-3 启用/停用 in batch: `active` true or false. Failure codes per id: not_found.",
        request=ActiveSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="set-active")
    def set_active(self, request):
        data = ActiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.product_set_active(
            actor=request.user, ids=data.validated_data["ids"], active=data.validated_data["active"]
        )
        return Response(BatchResultSerializer(result.as_dict()).data)


class CategoryViewSet(viewsets.ViewSet):
    """SAL-3 product categories (a tree): listed whole, small."""

    required_permissions = {
        "*": VIEW,
        "create": Permission.MANAGE_PRODUCTS,
        "partial_update": Permission.MANAGE_PRODUCTS,
        "destroy": Permission.MANAGE_PRODUCTS,
    }

    @extend_schema(responses={200: CategorySerializer(many=True)})
    def list(self, request):
        return Response(CategorySerializer(selectors.category_list(user=request.user), many=True).data)

    @extend_schema(request=CategorySerializer, responses={201: CategorySerializer})
    def create(self, request):
        data = CategorySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        category = services.category_create(actor=request.user, **data.validated_data)
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CategorySerializer, responses={200: CategorySerializer})
    def partial_update(self, request, pk=None):
        category = selectors.category_get(user=request.user, pk=pk)
        data = CategorySerializer(category, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        category = services.category_update(actor=request.user, category=category, data=dict(data.validated_data))
        return Response(CategorySerializer(category).data)

    @extend_schema(responses={204: None}, description="Errors: 409 category_in_use.")
    def destroy(self, request, pk=None):
        services.category_delete(actor=request.user, category=selectors.category_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
