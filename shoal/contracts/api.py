"""Contracts, receivables, payments and collection tasks API (SAL-6, SAL-7): parse, call, render."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shoal.contracts import selectors, services
from shoal.contracts.filters import ContractFilter, PaymentFilter, PlanFilter, TaskFilter
from shoal.contracts.models import CollectionTask, Contract, ContractEvent, ContractStatus, Payment, PaymentPlan
from shoal.contracts.permissions import Permission as ContractPermission
from shoal.core.batch import BatchResultSerializer, IdsSerializer
from shoal.core.errors import InvalidInput, current_on_stale
from shoal.customers.selectors import customer_get
from shoal.opportunities.permissions import Permission
from shoal.opportunities.selectors import may_work, opportunity_get

MONEY = {"max_digits": 14, "decimal_places": 2}


def _name(user) -> str | None:
    return (user.name or user.username) if user is not None else None


def _need_version(values: dict) -> int:
    if "version" not in values:
        raise InvalidInput(fields={"version": [_("Send back the version you read.")]})
    return values.pop("version")


# ---------------------------------------------------------------- serializers


class PlanSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.SerializerMethodField()
    outstanding = serializers.SerializerMethodField()
    written_off_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PaymentPlan
        fields = [
            "id",
            "contract",
            "contract_number",
            "customer",
            "customer_name",
            "owner",
            "owner_name",
            "seq",
            "due_on",
            "amount",
            "received",
            "written_off",
            "outstanding",
            "status",
            "is_overdue",
            "write_off_reason",
            "written_off_by_name",
            "written_off_at",
            "remarks",
            "version",
        ]
        read_only_fields = fields

    def get_owner_name(self, obj) -> str | None:
        return _name(obj.owner)

    def get_written_off_by_name(self, obj) -> str | None:
        return _name(obj.written_off_by)

    def get_outstanding(self, obj) -> str:
        return f"{obj.amount - obj.received - obj.written_off:.2f}"


class ContractSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.SerializerMethodField()
    opportunity_title = serializers.SerializerMethodField()
    order_number = serializers.CharField(source="order.number", read_only=True, allow_null=True, default=None)
    outstanding = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "customer",
            "customer_name",
            "opportunity",
            "opportunity_title",
            "order",
            "order_number",
            "owner",
            "owner_name",
            "title",
            "party_a",
            "party_b",
            "amount",
            "planned",
            "received",
            "written_off",
            "outstanding",
            "signed_on",
            "starts_on",
            "ends_on",
            "status",
            "remarks",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_owner_name(self, obj) -> str | None:
        return _name(obj.owner)

    def get_opportunity_title(self, obj) -> str | None:
        return obj.opportunity.title if obj.opportunity else None

    def get_outstanding(self, obj) -> str:
        return f"{obj.amount - obj.received - obj.written_off:.2f}"


class ContractDetailSerializer(ContractSerializer):
    plans = PlanSerializer(many=True, read_only=True)
    editable = serializers.SerializerMethodField()
    next_statuses = serializers.SerializerMethodField()

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "plans", "editable", "next_statuses"]
        read_only_fields = fields

    def get_editable(self, obj) -> bool:
        return may_work(user=self.context["request"].user, customer=obj.customer, owner_id=obj.owner_id)

    def get_next_statuses(self, obj) -> list[str]:
        from shoal.contracts.models import TRANSITIONS

        return sorted(TRANSITIONS[obj.status])


class ContractInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    party_a = serializers.CharField(max_length=200, required=False, allow_blank=True)
    party_b = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.DecimalField(**MONEY, min_value=0, required=False)
    signed_on = serializers.DateField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    remarks = serializers.CharField(required=False, allow_blank=True)


class ContractCreateSerializer(ContractInputSerializer):
    customer = serializers.IntegerField(min_value=1, required=False)
    opportunity = serializers.IntegerField(min_value=1, required=False)
    order = serializers.IntegerField(min_value=1, required=False, help_text="SAL-6 make it from this sales order")


class ContractUpdateSerializer(ContractInputSerializer):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ContractStatus.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ContractEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ContractEvent
        fields = ["id", "action", "actor", "actor_name", "reason", "changes", "created_at"]

    def get_actor_name(self, obj) -> str | None:
        return _name(obj.actor)


class PlanCreateSerializer(serializers.Serializer):
    contract = serializers.IntegerField(min_value=1)
    due_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY, min_value=0)
    remarks = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PlanUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    due_on = serializers.DateField(required=False)
    amount = serializers.DecimalField(**MONEY, min_value=0, required=False)
    remarks = serializers.CharField(max_length=300, required=False, allow_blank=True)


class WriteOffSerializer(IdsSerializer):
    reason = serializers.CharField(max_length=500)


class PaymentSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    plan_seq = serializers.IntegerField(source="plan.seq", read_only=True)
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "plan",
            "plan_seq",
            "contract",
            "contract_number",
            "customer",
            "customer_name",
            "amount",
            "received_on",
            "method",
            "remarks",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_recorded_by_name(self, obj) -> str | None:
        return _name(obj.created_by)


class PaymentCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(**MONEY, min_value=0)
    received_on = serializers.DateField(required=False)
    method = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TaskSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.SerializerMethodField()
    contract = serializers.IntegerField(source="plan.contract_id", read_only=True)
    contract_number = serializers.CharField(source="plan.contract.number", read_only=True)
    plan_seq = serializers.IntegerField(source="plan.seq", read_only=True)
    plan_due_on = serializers.DateField(source="plan.due_on", read_only=True)
    amount = serializers.DecimalField(source="plan.amount", read_only=True, **MONEY)
    outstanding = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = CollectionTask
        fields = [
            "id",
            "plan",
            "plan_seq",
            "plan_due_on",
            "contract",
            "contract_number",
            "customer",
            "customer_name",
            "owner",
            "owner_name",
            "due_on",
            "amount",
            "outstanding",
            "is_overdue",
            "status",
            "done_at",
            "note",
        ]
        read_only_fields = fields

    def get_owner_name(self, obj) -> str | None:
        return _name(obj.owner)

    def get_outstanding(self, obj) -> str:
        plan = obj.plan
        return f"{plan.amount - plan.received - plan.written_off:.2f}"

    def get_is_overdue(self, obj) -> bool:
        return obj.status == "open" and obj.due_on < timezone.localdate()


class TaskDoneSerializer(IdsSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _batch(result) -> Response:
    return Response(BatchResultSerializer(result.as_dict()).data)


# ---------------------------------------------------------------- views


class ContractViewSet(viewsets.GenericViewSet):
    """SAL-6 合同 of the customers the caller sees."""

    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    ordering_fields = ["id", "number", "amount", "signed_on", "starts_on", "ends_on", "status", "created_at"]
    ordering = ["-id"]
    required_permissions = {
        "*": Permission.VIEW,
        "create": Permission.EDIT,
        "partial_update": Permission.EDIT,
        "transition": Permission.EDIT,
    }

    queryset = Contract.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.contract_list(user=self.request.user, filters=self.request.query_params)

    def _detail(self, pk) -> dict:
        found = selectors.contract_get(user=self.request.user, pk=pk)
        return ContractDetailSerializer(found, context={"request": self.request}).data

    @extend_schema(parameters=[OpenApiParameter("q", str, description="number, title or customer name")])
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ContractSerializer(page, many=True).data)

    @extend_schema(responses={200: ContractDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        request=ContractCreateSerializer,
        responses={201: ContractDetailSerializer},
        description="SAL-6: from a won `opportunity` (its customer and amount by default), from a sales `order` "
        "(its customer, total and number by default) or on a `customer`. "
        "Errors: 400 invalid / opportunity_not_won; 403 read_only; 404 customer, opportunity or order not visible.",
    )
    def create(self, request):
        data = ContractCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        opportunity = order = None
        if values.get("order"):
            from shoal.orders.selectors import order_get

            order = order_get(user=request.user, pk=values.pop("order"))
            if values.get("customer") in (None, order.customer_id) and not values.get("opportunity"):
                values["customer"] = order.customer_id
        if values.get("opportunity"):
            opportunity = opportunity_get(user=request.user, pk=values.pop("opportunity"))
            customer = opportunity.customer
            if values.get("customer") not in (None, customer.pk):
                raise InvalidInput(fields={"opportunity": [_("The opportunity belongs to another customer.")]})
        elif values.get("customer"):
            customer = customer_get(user=request.user, pk=values["customer"])
        else:
            raise InvalidInput(fields={"customer": [_("Choose a customer or a won opportunity.")]})
        values.pop("customer", None)
        contract = services.contract_create(
            actor=request.user, customer=customer, data=values, opportunity=opportunity, order=order
        )
        return Response(self._detail(contract.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ContractUpdateSerializer,
        responses={200: ContractDetailSerializer},
        description="SAL-6 edit. Errors: 400 invalid; 403 read_only; 409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        contract = selectors.contract_get(user=request.user, pk=pk)
        data = ContractUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = _need_version(values)
        reason = values.pop("reason", "")
        with current_on_stale(lambda: self._detail(pk)):
            services.contract_update(actor=request.user, contract=contract, version=version, data=values, reason=reason)
        return Response(self._detail(pk))

    @extend_schema(
        request=TransitionSerializer,
        responses={200: ContractDetailSerializer},
        description="SAL-6 status: draft → in_approval → active → completed; terminated from any open status. "
        "Errors: 400 invalid_transition; 403 read_only; 409 status_changed.",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        contract = selectors.contract_get(user=request.user, pk=pk)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.contract_transition(actor=request.user, contract=contract, **data.validated_data)
        return Response(self._detail(pk))

    @extend_schema(responses={200: ContractEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        contract = selectors.contract_get(user=request.user, pk=pk)
        return Response(ContractEventSerializer(selectors.contract_events(contract=contract), many=True).data)


class ReceivableViewSet(viewsets.GenericViewSet):
    """SAL-7 应收款: the payment plans (instalments) of contracts."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ["id", "due_on", "amount", "received", "status", "seq"]
    ordering = ["due_on", "id"]
    required_permissions = {
        "*": Permission.VIEW,
        "create": Permission.EDIT,
        "partial_update": Permission.EDIT,
        "write_off": ContractPermission.WRITE_OFF,
    }

    queryset = PaymentPlan.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.plan_list(user=self.request.user)

    def _render(self, pk) -> dict:
        return PlanSerializer(selectors.plan_get(user=self.request.user, pk=pk)).data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PlanSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._render(pk))

    @extend_schema(
        request=PlanCreateSerializer,
        responses={201: PlanSerializer},
        description="SAL-7 add an instalment. Errors: 400 plans_exceed_amount (the instalments would add up to "
        "more than the contract) / contract_closed; 403 read_only; 404 contract not visible.",
    )
    def create(self, request):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        contract = selectors.contract_get(user=request.user, pk=values.pop("contract"))
        plan = services.plan_create(actor=request.user, contract=contract, **values)
        return Response(self._render(plan.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlanUpdateSerializer,
        responses={200: PlanSerializer},
        description="SAL-7 change an instalment. Errors: 400 invalid / plans_exceed_amount; 403 read_only; "
        "409 stale_version with `current`.",
    )
    def partial_update(self, request, pk=None):
        plan = selectors.plan_get(user=request.user, pk=pk)
        data = PlanUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = _need_version(values)
        with current_on_stale(lambda: self._render(pk)):
            services.plan_update(actor=request.user, plan=plan, version=version, data=values)
        return Response(self._render(pk))

    @extend_schema(
        request=WriteOffSerializer,
        responses={200: BatchResultSerializer},
        description="SAL-7 bad-debt write-off of what is outstanding. Failure codes per id: not_found, "
        "out_of_scope, nothing_outstanding, plan_changed.",
    )
    @action(detail=False, methods=["post"], url_path="write-off", url_name="write-off")
    def write_off(self, request):
        data = WriteOffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.plan_write_off(
            actor=request.user,
            ids=data.validated_data["ids"],
            reason=data.validated_data["reason"],
            visible=selectors.plan_list(user=request.user),
        )
        return _batch(result)


class PaymentViewSet(viewsets.GenericViewSet):
    """SAL-7 已收款: money received against instalments."""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    ordering_fields = ["id", "received_on", "amount", "created_at"]
    ordering = ["-received_on", "-id"]
    required_permissions = {"*": Permission.VIEW, "create": Permission.EDIT}

    queryset = Payment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.payment_list(user=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PaymentSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(PaymentSerializer(selectors.payment_get(user=request.user, pk=pk)).data)

    @extend_schema(
        request=PaymentCreateSerializer,
        responses={201: PaymentSerializer},
        description="SAL-7 record a payment; partial payments allowed. Errors: 400 overpayment (more than the "
        "instalment has outstanding; the message says how much) / contract_closed; 403 read_only; 404 plan not visible.",
    )
    def create(self, request):
        data = PaymentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        plan = selectors.plan_get(user=request.user, pk=values.pop("plan"))
        values.setdefault("received_on", timezone.localdate())
        payment = services.payment_record(actor=request.user, plan=plan, **values)
        return Response(
            PaymentSerializer(selectors.payment_get(user=request.user, pk=payment.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class CollectionTaskViewSet(viewsets.GenericViewSet):
    """SAL-7 催款: instalments to chase today and in the coming days."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["id", "due_on", "status"]
    ordering = ["due_on", "id"]
    required_permissions = {"*": Permission.VIEW, "done": Permission.EDIT}

    queryset = CollectionTask.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = selectors.task_list(user=self.request.user)
        if self.request.query_params.get("mine") in {"1", "true"}:
            qs = qs.filter(owner_id=self.request.user.pk)
        return qs

    @extend_schema(parameters=[OpenApiParameter("mine", bool, description="only my tasks")])
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    @extend_schema(
        request=TaskDoneSerializer,
        responses={200: BatchResultSerializer},
        description="SAL-7 mark tasks done. Failure codes per id: not_found, read_only, already_done.",
    )
    @action(detail=False, methods=["post"])
    def done(self, request):
        data = TaskDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.collection_task_done(
            actor=request.user,
            ids=data.validated_data["ids"],
            note=data.validated_data["note"],
            visible=selectors.task_list(user=request.user),
        )
        return _batch(result)
