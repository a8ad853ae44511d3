"""Opportunities, the pipeline and conflicts API (SAL-1, SAL-2): parse, call a service or selector, render."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shoal.core.errors import InvalidInput, NotFound, current_on_stale
from shoal.core.versioning import versioned_input
from shoal.customers.selectors import customer_get
from shoal.opportunities import selectors, services
from shoal.opportunities.filters import ConflictFilter, OpportunityFilter
from shoal.opportunities.models import Competitor, Conflict, Opportunity, OpportunityEvent, PipelineStage
from shoal.opportunities.permissions import Permission


def _name(user) -> str | None:
    return (user.name or user.username) if user is not None else None


class PipelineStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PipelineStage
        fields = ["id", "code", "name", "probability", "kind", "color", "position", "is_active", "version"]
        read_only_fields = ["id", "version"]
        extra_kwargs = {"probability": {"max_value": 100}}


class PipelineStageUpdateSerializer(PipelineStageSerializer):
    class Meta(PipelineStageSerializer.Meta):
        read_only_fields = ["id", "code"]
        extra_kwargs = {"version": {"required": True}, "probability": {"max_value": 100}}


class CompetitorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competitor
        fields = ["id", "name", "strengths", "weaknesses", "remarks"]
        read_only_fields = ["id"]


class OpportunitySerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.SerializerMethodField()
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    probability = serializers.IntegerField(source="stage.probability", read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "customer",
            "customer_name",
            "owner",
            "owner_name",
            "title",
            "source",
            "summary",
            "expected_amount",
            "expected_close_date",
            "stage",
            "stage_name",
            "probability",
            "status",
            "next_step",
            "feedback",
            "closed_at",
            "close_reason",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_owner_name(self, obj) -> str | None:
        return _name(obj.owner)


class OpportunityDetailSerializer(OpportunitySerializer):
    competitors = CompetitorSerializer(many=True, read_only=True)
    editable = serializers.SerializerMethodField()

    class Meta(OpportunitySerializer.Meta):
        fields = [*OpportunitySerializer.Meta.fields, "competitors", "editable"]
        read_only_fields = fields

    def get_editable(self, obj) -> bool:
        user = self.context["request"].user
        return selectors.may_work(user=user, customer=obj.customer, owner_id=obj.owner_id)


class CompetitorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    strengths = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    weaknesses = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OpportunityInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=50, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    expected_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    stage = serializers.PrimaryKeyRelatedField(queryset=PipelineStage.objects.all(), required=False)
    next_step = serializers.CharField(max_length=300, required=False, allow_blank=True)
    feedback = serializers.CharField(required=False, allow_blank=True)
    competitors = CompetitorInputSerializer(many=True, required=False)


class OpportunityCreateSerializer(OpportunityInputSerializer):
    customer = serializers.IntegerField(min_value=1)


class OpportunityUpdateSerializer(OpportunityInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    version = serializers.IntegerField(min_value=1)
    close_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class OpportunityEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = OpportunityEvent
        fields = ["id", "action", "actor", "actor_name", "reason", "changes", "created_at"]

    def get_actor_name(self, obj) -> str | None:
        return _name(obj.actor)


class StageViewSet(viewsets.ViewSet):
    """SAL-1: the stages of the pipeline, each with its win probability; administrators edit them."""

    required_permissions = {"create": Permission.MANAGE_PIPELINE, "partial_update": Permission.MANAGE_PIPELINE}

    @extend_schema(responses={200: PipelineStageSerializer(many=True)})
    def list(self, request):
        return Response(PipelineStageSerializer(selectors.stage_list(), many=True).data)

    @extend_schema(request=PipelineStageSerializer, responses={201: PipelineStageSerializer})
    def create(self, request):
        data = PipelineStageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "version"}
        stage = services.stage_create(actor=request.user, **values)
        return Response(PipelineStageSerializer(stage).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PipelineStageUpdateSerializer, responses={200: PipelineStageSerializer})
    def partial_update(self, request, pk=None):
        stage = selectors.stage_list().filter(pk=pk).first()
        if stage is None:
            raise NotFound()
        data = PipelineStageUpdateSerializer(stage, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version", None)
        with current_on_stale(lambda: PipelineStageSerializer(selectors.stage_list().get(pk=stage.pk)).data):
            stage = services.stage_update(actor=request.user, stage=stage, version=version, **changes)
        return Response(PipelineStageSerializer(stage).data)


OPPORTUNITY_ORDERING = [
    "id",
    "title",
    "expected_amount",
    "expected_close_date",
    "created_at",
    "updated_at",
    "status",
    "stage__position",
    "customer__name",
]


class OpportunityViewSet(viewsets.GenericViewSet):
    """SAL-1 销售机会 of the customers the caller sees."""

    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    ordering_fields = OPPORTUNITY_ORDERING
    ordering = ["-id"]
    required_permissions = {"*": Permission.VIEW, "create": Permission.EDIT, "partial_update": Permission.EDIT}

    queryset = Opportunity.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.opportunity_list(user=self.request.user, filters=self.request.query_params)

    def _detail(self, pk) -> dict:
        found = selectors.opportunity_get(user=self.request.user, pk=pk)
        return OpportunityDetailSerializer(found, context={"request": self.request}).data

    @extend_schema(parameters=[OpenApiParameter("q", str, description="title or customer name")])
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(OpportunitySerializer(page, many=True).data)

    @extend_schema(responses={200: OpportunityDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        request=OpportunityCreateSerializer,
        responses={201: OpportunityDetailSerializer},
        description="SAL-1. Opening an opportunity on a customer another rep works records a conflict (SAL-2). "
        "Errors: 400 invalid; 404 customer not visible.",
    )
    def create(self, request):
        data = OpportunityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer = customer_get(user=request.user, pk=values.pop("customer"))
        competitors = [dict(c) for c in values.pop("competitors", [])]
        opportunity = services.opportunity_create(
            actor=request.user, customer=customer, data=values, competitors=competitors
        )
        return Response(self._detail(opportunity.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OpportunityUpdateSerializer,
        responses={200: OpportunityDetailSerializer},
        description="SAL-1 edit or move to another stage (kanban). A won/lost stage needs `close_reason`. "
        "Errors: 400 invalid; 403 read_only; 409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        opportunity = selectors.opportunity_get(user=request.user, pk=pk)
        values, version = versioned_input(OpportunityUpdateSerializer, request.data)
        competitors = values.pop("competitors", None)
        reason = values.pop("reason", "")
        with current_on_stale(lambda: self._detail(pk)):
            services.opportunity_update(
                actor=request.user,
                opportunity=opportunity,
                version=version,
                data=values,
                competitors=[dict(c) for c in competitors] if competitors is not None else None,
                reason=reason,
            )
        return Response(self._detail(pk))

    @extend_schema(responses={200: OpportunityEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        opportunity = selectors.opportunity_get(user=request.user, pk=pk)
        return Response(
            OpportunityEventSerializer(selectors.opportunity_events(opportunity=opportunity), many=True).data
        )


class ConflictSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    incumbent_name = serializers.SerializerMethodField()
    challenger_name = serializers.SerializerMethodField()
    manager_name = serializers.SerializerMethodField()
    winner_name = serializers.SerializerMethodField()
    resolved_by_name = serializers.SerializerMethodField()
    opportunity_title = serializers.SerializerMethodField()

    class Meta:
        model = Conflict
        fields = [
            "id",
            "customer",
            "customer_name",
            "incumbent",
            "incumbent_name",
            "challenger",
            "challenger_name",
            "manager",
            "manager_name",
            "opportunity",
            "opportunity_title",
            "trigger",
            "status",
            "winner",
            "winner_name",
            "decision",
            "resolved_by",
            "resolved_by_name",
            "resolved_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_incumbent_name(self, obj) -> str | None:
        return _name(obj.incumbent)

    def get_challenger_name(self, obj) -> str | None:
        return _name(obj.challenger)

    def get_manager_name(self, obj) -> str | None:
        return _name(obj.manager)

    def get_winner_name(self, obj) -> str | None:
        return _name(obj.winner)

    def get_resolved_by_name(self, obj) -> str | None:
        return _name(obj.resolved_by)

    def get_opportunity_title(self, obj) -> str | None:
        return obj.opportunity.title if obj.opportunity else None


class ConflictResolveSerializer(serializers.Serializer):
    winner = serializers.IntegerField(min_value=1)
    decision = serializers.CharField(max_length=500)


class ConflictViewSet(viewsets.GenericViewSet):
    """SAL-2 撞单: conflicts on the customers the caller sees; their manager decides."""

    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter
    ordering_fields = ["id", "created_at", "resolved_at", "status", "customer__name"]
    ordering = ["-id"]
    required_permissions = {"*": Permission.VIEW, "resolve": Permission.RESOLVE_CONFLICTS}

    queryset = Conflict.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        view = self.request.query_params.get("view", "all")
        if view not in {"all", "to_decide", "mine"}:
            raise InvalidInput(fields={"view": [_("Choose all, to_decide or mine.")]})
        return selectors.conflict_list(user=self.request.user, view=view)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "view", str, enum=["all", "to_decide", "mine"], description="to_decide: open ones I decide"
            )
        ]
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ConflictSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ConflictSerializer(selectors.conflict_get(user=request.user, pk=pk)).data)

    @extend_schema(
        request=ConflictResolveSerializer,
        responses={200: ConflictSerializer},
        description="SAL-2 decide who keeps the customer; the loser's open opportunities on it move to the winner. "
        "Errors: 400 invalid (winner not one of the two); 403 out_of_scope; 409 already_resolved.",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        conflict = selectors.conflict_get(user=request.user, pk=pk)
        data = ConflictResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.conflict_resolve(
            actor=request.user,
            conflict=conflict,
            winner_id=data.validated_data["winner"],
            decision=data.validated_data["decision"],
        )
        return Response(ConflictSerializer(selectors.conflict_get(user=request.user, pk=pk)).data)
