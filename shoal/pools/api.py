"""Pools API (CUS-1, SYS-2): pools and their members, rules, the auto-return preview, moving customers
between pools, locks, and the pool health dashboard. Parse, call a service or selector, render."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import InvalidInput, current_on_stale
from shoal.core.versioning import versioned_input
from shoal.pools import selectors, services
from shoal.pools.models import HoldingScope, Pool, PoolRules
from shoal.pools.permissions import Permission


class PoolSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)
    administrators = serializers.SerializerMethodField()
    member_users = serializers.SerializerMethodField()
    member_departments = serializers.SerializerMethodField()
    open_to_all = serializers.SerializerMethodField(help_text="no members: everyone who may view the pool")

    class Meta:
        model = Pool
        fields = [
            "id",
            "name",
            "description",
            "is_default",
            "position",
            "administrators",
            "member_users",
            "member_departments",
            "open_to_all",
            "version",
        ]
        read_only_fields = ["is_default"]

    def get_administrators(self, obj) -> list[int]:
        return sorted(u.pk for u in obj.administrators.all())

    def get_member_users(self, obj) -> list[int]:
        return sorted(u.pk for u in obj.member_users.all())

    def get_member_departments(self, obj) -> list[int]:
        return sorted(d.pk for d in obj.member_departments.all())

    def get_open_to_all(self, obj) -> bool:
        return not obj.member_users.all() and not obj.member_departments.all()


class PoolInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.IntegerField(required=False)
    administrators = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    member_users = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    member_departments = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class PoolUpdateSerializer(PoolInputSerializer):
    name = serializers.CharField(max_length=50, required=False)
    version = serializers.IntegerField(help_text="the version read; a stale one gets 409 stale_version")


_LEVEL_DAYS_HELP = 'per customer level code: {"a": {"no_follow_up_days": 60, "no_deal_days": 90}}'


class PoolRulesSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)
    return_to = serializers.PrimaryKeyRelatedField(
        queryset=Pool.objects.all(), required=False, allow_null=True, help_text="auto-return target; null: same pool"
    )
    level_days = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField(min_value=0, allow_null=True)),
        required=False,
        help_text=_LEVEL_DAYS_HELP,
    )
    holding_scope = serializers.ChoiceField(choices=HoldingScope.choices, required=False)

    class Meta:
        model = PoolRules
        fields = ["pool", *services.RULE_FIELDS, "version"]
        read_only_fields = ["pool"]


class PreviewInputSerializer(PoolRulesSerializer):
    horizon_days = serializers.IntegerField(min_value=0, max_value=365, required=False, default=1)

    class Meta(PoolRulesSerializer.Meta):
        fields = [*PoolRulesSerializer.Meta.fields, "horizon_days"]


class PreviewRepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class PreviewCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owner_id = serializers.IntegerField()
    owner_name = serializers.CharField()
    due = serializers.DateTimeField()
    rule = serializers.CharField()
    reason = serializers.CharField()


class AutoReturnPreviewSerializer(serializers.Serializer):
    until = serializers.DateTimeField()
    customers = serializers.IntegerField(help_text="customers that would go back by `until`")
    reps = serializers.IntegerField(help_text="reps who would lose customers")
    by_rule = serializers.DictField(child=serializers.IntegerField())
    by_rep = PreviewRepSerializer(many=True)
    sample = PreviewCustomerSerializer(many=True, help_text="the first 50, earliest first")


class MoveSerializer(IdsSerializer):
    to = serializers.IntegerField(min_value=1, help_text="the pool to move the customers to")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HealthRepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class FreshnessSerializer(serializers.Serializer):
    never_followed = serializers.IntegerField()
    within_30_days = serializers.IntegerField()
    within_90_days = serializers.IntegerField()
    older = serializers.IntegerField()


class LastRunSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    returned = serializers.IntegerField()
    warned = serializers.IntegerField()


class HealthSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    claimed = serializers.IntegerField()
    unclaimed = serializers.IntegerField()
    claims_followed = serializers.IntegerField()
    first_follow_up_hours_median = serializers.FloatField(allow_null=True)
    first_follow_up_hours_avg = serializers.FloatField(allow_null=True)
    never_followed = serializers.IntegerField(help_text="claimed customers not followed up since their claim")
    auto_returned = serializers.IntegerField()
    returns_per_rep = HealthRepSerializer(many=True)
    freshness = FreshnessSerializer()
    last_run = LastRunSerializer(allow_null=True)


class PoolViewSet(viewsets.GenericViewSet):
    """Pools (CUS-1): everyone sees the pools open to them (the pool switcher); administrators manage."""

    serializer_class = PoolSerializer
    queryset = Pool.objects.none()  # the schema's path parameter type; reads go through selectors
    pagination_class = None
    required_permissions = {
        "list": "customer.view_pool",
        "retrieve": "customer.view_pool",
        "rules": "customer.view_pool",
        "create": Permission.MANAGE,
        "partial_update": Permission.MANAGE,
        "destroy": Permission.MANAGE,
        "update_rules": Permission.MANAGE,
        "preview": Permission.MANAGE,
        "move": Permission.MANAGE,
        "lock": Permission.LOCK,
        "unlock": Permission.LOCK,
        "health": Permission.HEALTH,
    }

    def _get(self, pk) -> Pool:
        return selectors.pool_get(user=self.request.user, pk=pk)

    def _render(self, pk) -> dict:
        return PoolSerializer(self._get(pk)).data

    @extend_schema(responses={200: PoolSerializer(many=True)})
    def list(self, request):
        return Response(PoolSerializer(selectors.pool_list(user=request.user), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._render(pk))

    @extend_schema(request=PoolInputSerializer, responses={201: PoolSerializer})
    def create(self, request):
        data = PoolInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pool = services.pool_create(actor=request.user, data=dict(data.validated_data))
        return Response(self._render(pool.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=PoolUpdateSerializer, responses={200: PoolSerializer})
    def partial_update(self, request, pk=None):
        pool = self._get(pk)
        values, version = versioned_input(PoolUpdateSerializer, request.data)
        with current_on_stale(lambda: self._render(pk)):
            services.pool_update(actor=request.user, pool=pool, version=version, data=values)
        return Response(self._render(pk))

    @extend_schema(description="Only an empty pool that is not the default. Errors: 409 default_pool, pool_not_empty.")
    def destroy(self, request, pk=None):
        services.pool_delete(actor=request.user, pool=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: PoolRulesSerializer}, description="The pool's rules (reps see what binds them).")
    @action(detail=True, methods=["get"], url_path="rules")
    def rules(self, request, pk=None):
        pool = self._get(pk)
        return Response(PoolRulesSerializer(PoolRules.objects.get_or_create(pool=pool)[0]).data)

    @extend_schema(
        request=PoolRulesSerializer,
        responses={200: PoolRulesSerializer},
        description="Save rules (send `version`); the countdown of the pool's claimed customers is recomputed.",
    )
    @rules.mapping.patch
    def update_rules(self, request, pk=None):
        pool = self._get(pk)
        values, version = versioned_input(PoolRulesSerializer, request.data)
        current = lambda: PoolRulesSerializer(PoolRules.objects.get(pool=pool)).data  # noqa: E731
        with current_on_stale(current):
            rules = services.pool_rules_update(actor=request.user, pool=pool, version=version, changes=values)
        return Response(PoolRulesSerializer(rules).data)

    @extend_schema(
        request=PreviewInputSerializer,
        responses={200: AutoReturnPreviewSerializer},
        description="Dry run of auto-return with the rules as edited (unsaved): who would go back within "
        "`horizon_days` (1 = by this time tomorrow) and which reps lose them. Nothing is written.",
    )
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        pool = self._get(pk)
        data = PreviewInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        horizon = values.pop("horizon_days", 1)
        values.pop("version", None)
        result = services.auto_return_preview(actor=request.user, pool=pool, rules=values, horizon_days=horizon)
        return Response(AutoReturnPreviewSerializer(result).data)

    @extend_schema(
        request=MoveSerializer,
        responses={200: BatchResultSerializer},
        description="Move customers to another pool. Failure codes per id: not_found.",
    )
    @action(detail=False, methods=["post"])
    def move(self, request):
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = self._get(data.validated_data["to"])
        result = services.customer_move(
            actor=request.user, ids=data.validated_data["ids"], to=target, reason=data.validated_data["reason"]
        )
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(
        request=IdsSerializer,
        responses={200: BatchResultSerializer},
        description="Lock own customers against auto-return. Failure codes: not_found, locking_disabled, "
        "lock_limit_reached.",
    )
    @action(detail=False, methods=["post"])
    def lock(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.customer_lock(actor=request.user, ids=data.validated_data["ids"])
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(request=IdsSerializer, responses={200: BatchResultSerializer})
    @action(detail=False, methods=["post"])
    def unlock(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.customer_lock(actor=request.user, ids=data.validated_data["ids"], locked=False)
        return Response(BatchResultSerializer(result.as_dict()).data)

    @extend_schema(
        parameters=[OpenApiParameter("pool", int, description="one pool; default: all")],
        responses={200: HealthSerializer},
    )
    @action(detail=False, methods=["get"])
    def health(self, request):
        raw = request.query_params.get("pool")
        pool = None
        if raw:
            if not raw.isdigit():
                raise InvalidInput(fields={"pool": [_("Unknown pool.")]})
            pool = self._get(int(raw))
        return Response(HealthSerializer(selectors.pool_health(user=request.user, pool=pool)).data)
