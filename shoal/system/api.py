"""Data dictionary (SYS-1) and parameters (SYS-2) API."""

from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from shoal.core.errors import InvalidInput, NotFound, current_on_stale
from shoal.system import selectors, services
from shoal.system.defaults import CUSTOMER_PUBLIC_FIELDS
from shoal.system.models import DictionaryItem, DictionaryKind
from shoal.system.permissions import Permission


class DictionaryItemSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)

    class Meta:
        model = DictionaryItem
        fields = ["id", "kind", "code", "name", "position", "is_active", "color", "is_system", "version"]
        read_only_fields = ["is_system"]
        extra_kwargs = {"code": {"validators": []}}


class DictionaryItemUpdateSerializer(DictionaryItemSerializer):
    class Meta(DictionaryItemSerializer.Meta):
        read_only_fields = ["is_system", "kind", "code"]


class DictionaryKindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DictionaryKind.choices)
    count = serializers.IntegerField()


class DictionaryViewSet(viewsets.ViewSet):
    required_permissions = {
        "create": Permission.MANAGE_DICTIONARY,
        "partial_update": Permission.MANAGE_DICTIONARY,
        "destroy": Permission.MANAGE_DICTIONARY,
    }

    def _get(self, pk) -> DictionaryItem:
        item = selectors.dictionary_items().filter(pk=pk).first()
        if item is None:
            raise NotFound()
        return item

    @extend_schema(
        parameters=[OpenApiParameter("kind", str), OpenApiParameter("active", bool)],
        responses={200: DictionaryItemSerializer(many=True)},
    )
    def list(self, request):
        kind = request.query_params.get("kind")
        if kind and "\x00" in kind:  # PostgreSQL refuses NUL in text: a 400, not a 500
            raise InvalidInput(fields={"kind": [_("Null characters are not allowed.")]})
        items = selectors.dictionary_items(
            kind=kind,
            active_only=request.query_params.get("active") in {"1", "true"},
        )
        return Response(DictionaryItemSerializer(items, many=True).data)

    @extend_schema(responses={200: DictionaryKindSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def kinds(self, request):
        counts = dict(selectors.dictionary_items().values_list("kind").annotate(n=Count("id")))
        return Response([{"kind": kind, "count": counts.get(kind, 0)} for kind in DictionaryKind.values])

    @extend_schema(request=DictionaryItemSerializer, responses={201: DictionaryItemSerializer})
    def create(self, request):
        data = DictionaryItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in {"kind", "code", "name", "position", "color"}}
        item = services.dictionary_item_create(actor=request.user, **values)
        return Response(DictionaryItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DictionaryItemUpdateSerializer, responses={200: DictionaryItemSerializer})
    def partial_update(self, request, pk=None):
        item = self._get(pk)
        data = DictionaryItemUpdateSerializer(item, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version", None)
        with current_on_stale(lambda: DictionaryItemSerializer(self._get(pk)).data):
            item = services.dictionary_item_update(actor=request.user, item=item, version=version, **changes)
        return Response(DictionaryItemSerializer(item).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.dictionary_item_delete(actor=request.user, item=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParametersSerializer(serializers.Serializer):
    """SYS-2 parameters; each app's parameters are listed here as typed fields."""

    forced_hierarchy_sharing = serializers.BooleanField(required=False)
    public_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=CUSTOMER_PUBLIC_FIELDS), required=False, help_text="公开信息 in the pool"
    )
    call_daily_quota = serializers.IntegerField(
        required=False, min_value=0, max_value=500, help_text="ACT-4 电话申领: numbers one rep may lease per day"
    )


class ParametersView(APIView):
    required_permissions = {"patch": Permission.MANAGE_PARAMETERS}

    @extend_schema(responses={200: ParametersSerializer}, operation_id="parameters_get")
    def get(self, request):
        return Response(ParametersSerializer(selectors.parameter_all()).data)

    @extend_schema(
        request=ParametersSerializer, responses={200: ParametersSerializer}, operation_id="parameters_update"
    )
    def patch(self, request):
        data = ParametersSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        for key, value in data.validated_data.items():
            services.parameter_set(actor=request.user, key=key, value=value)
        return Response(ParametersSerializer(selectors.parameter_all()).data)
